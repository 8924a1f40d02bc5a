export type { Appender, Appendable, SeriesRef } from './appender.js';
export type { Querier, Queryable, SelectHints, StorageSeries, LabelHints } from './querier.js';
export { SampleLimitError } from './querier.js';
export { MemoryQueryable } from './memory.js';
