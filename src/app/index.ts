export { VigilApp, StartupError } from './app.js';
export type { AppOptions } from './app.js';
export { createLogger } from './logger.js';
export type { Logger } from './logger.js';
export { VERSION } from '../config/index.js';
