export { baseConfigSchema, serverSchema, deliverySchema, crossCheck } from './schema.js';
export type { VigilConfig } from './schema.js';
export { loadConfigFile, parseConfigText, validateConfig, formatPath } from './load.js';
export type { LoadResult } from './load.js';
export type { ServiceConfig } from './services.js';
