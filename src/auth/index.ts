export { TokenVerifier, FailureLimiter, roleAllows, isLoopback, ROLES } from './tokens.js';
export type { Role, Principal } from './tokens.js';
export { tokenConfigSchema, resolveTokenSecrets } from './config.js';
export type { TokenConfig, TokenSecrets } from './config.js';
