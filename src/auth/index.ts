export { TokenVerifier, FailureLimiter, roleAllows, isLoopback, ROLES } from './tokens.js';
export type { Role, Principal } from './tokens.js';
export { tokenConfigSchema } from './config.js';
export type { TokenConfig } from './config.js';
