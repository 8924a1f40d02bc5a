import { z } from 'zod';

/** An RFC 3339 time as the API writes it (`2026-01-31T09:30:00.000Z`). */
export const isoTime = z.string();
export const labelSet = z.record(z.string(), z.string());
