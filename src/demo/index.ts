export { startShopApi, demoConfig, isBroken, nextChange, DEFAULT_PLAN } from './shop-api.js';
export type { DemoService, OutagePlan } from './shop-api.js';
