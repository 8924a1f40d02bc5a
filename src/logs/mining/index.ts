export { Miner, DEFAULT_MINER_OPTIONS } from './miner.js';
export type { MinerOptions, MinerSettings, AddResult, PatternInfo } from './miner.js';
export { compileLogFormat, LogFormatError } from './log-format.js';
export type { LogFormat } from './log-format.js';
export { maskToken, splitTokens, WILDCARD } from './masking.js';
export { SnapshotError } from './snapshot.js';
export type { MinerSnapshot, SnapshotCluster, SnapshotPattern } from './snapshot.js';
