import { z } from 'zod';
import { NOTIFIERS, NOTIFIER_KEYS } from './registry.js';
import type { NotifierKey } from './registry.js';

/**
 * The `receivers` section: Alertmanager's schema, one `<type>_configs` list per notifier in
 * the registry. Objects are strict: an unknown key is an error.
 */
type Specs = typeof NOTIFIERS;
type ConfigsShape = { [K in NotifierKey]: z.ZodOptional<z.ZodArray<Specs[K]['schema']>> };

const configsShape = Object.fromEntries(NOTIFIER_KEYS.map((k) => [k, z.array(NOTIFIERS[k].schema).optional()])) as unknown as ConfigsShape;

/** A receiver's keys; other modules may extend it (escalation_policy) through `receiverSchema.extend`. */
export const receiverShape = {
  name: z.string().min(1, 'must not be empty'),
  ...configsShape,
};

export const receiverSchema = z.strictObject(receiverShape);

/** Receiver names must be unique (Alertmanager's message). */
export function uniqueReceiverNames(list: ReadonlyArray<{ name: string }>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  list.forEach((r, i) => {
    if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `notification config name ${JSON.stringify(r.name)} is not unique` });
    seen.add(r.name);
  });
}

/** A receiver with no configs is valid: notifications to it go nowhere (a "blackhole"). */
export const receiversSchema = z.array(receiverSchema).superRefine(uniqueReceiverNames);

export type ReceiverConfig = z.output<typeof receiverSchema>;
export type ReceiverConfigInput = z.input<typeof receiverSchema>;
