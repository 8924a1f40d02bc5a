export { TokenVerifier, FailureLimiter, roleAllows, isLoopback, isLoopbackHostHeader, ROLES } from './tokens.js';
export { SessionCodec } from './session.js';
export type { Session } from './session.js';
export type { Role, Principal } from './tokens.js';
export { tokenConfigSchema, resolveTokenSecrets } from './config.js';
export type { TokenConfig, TokenSecrets } from './config.js';
