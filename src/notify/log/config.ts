import { z } from 'zod';

/** `log_configs` (Vigil's): one line per notification in Vigil's own log. */
export const logConfigSchema = z.strictObject({
  send_resolved: z.boolean().default(true),
});

export type LogConfig = z.output<typeof logConfigSchema>;
