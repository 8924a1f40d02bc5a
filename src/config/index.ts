export { baseConfigSchema, serverSchema, deliverySchema, crossCheck } from './schema.js';
export type { VigilConfig } from './schema.js';
export { loadConfigFile, parseConfigText, validateConfig, formatPath } from './load.js';
export type { LoadResult } from './load.js';
export type { ServiceConfig } from './services.js';
export { parseRuleFile, readRuleFile, loadRuleFiles } from './rule-files.js';
export type { RuleFileResult, RuleFileOptions } from './rule-files.js';
export { expandGlobs } from './glob.js';
export { VERSION } from './version.js';
