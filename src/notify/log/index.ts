import type { NotifierSpec } from '../spec.js';
import { logConfigSchema } from './config.js';
import { LogNotifier } from './log.js';

export const logSpec = {
  type: 'log',
  schema: logConfigSchema,
  secrets: [],
  create: (config, deps) => new LogNotifier(config, deps.logLine),
} satisfies NotifierSpec<typeof logConfigSchema>;
