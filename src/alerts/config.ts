import { z } from 'zod';
import { duration } from '../model/schema.js';

/** The alert pipeline's own settings (docs/configuration.md, `alerts`). */
export const alertsConfigSchema = z
  .strictObject({
    /**
     * How long an accepted alert may stay in memory only before it is written to the database
     * (all alerts changed in that time go in one write). 0s writes every intake before
     * answering it.
     */
    persist_interval: duration().default(1000),
  })
  .prefault({});
