import { z } from 'zod';
import { annotationsSchema, duration, labelsSchema, nameSchema } from '../model/schema.js';
import type { Probe } from './probe.js';
import { probes, type RegisteredProbe } from './registry.js';

/**
 * The `checks:` section of vigil.yml. Keys common to every check live here; each probe type
 * adds its own keys from its `optionsSchema`, and `type` picks the variant. Durations are
 * parsed to milliseconds and every default is applied, so consumers never see absent values.
 */

const DEFAULT_INTERVAL = 30_000;
const MAX_DEFAULT_TIMEOUT = 10_000;
const MIN_INTERVAL = 100;
/** Labels every check alert gets from the check itself; `labels` may not override them. */
const RESERVED_LABELS = ['alertname', 'check', 'service', 'severity'];

const commonShape = {
  name: nameSchema,
  /** The service the check watches; defaults to the check name. */
  service: nameSchema.optional(),
  interval: duration().default(DEFAULT_INTERVAL),
  /** Defaults to min(interval, 10s); may not exceed the interval. */
  timeout: duration().optional(),
  failure_threshold: z.int().min(1).default(3),
  recovery_threshold: z.int().min(1).default(1),
  severity: z.string().min(1).default('critical'),
  labels: labelsSchema
    .refine((l) => RESERVED_LABELS.every((n) => !(n in l)), {
      message: `labels may not set ${RESERVED_LABELS.join(', ')}: use the check's own keys`,
    })
    .default({}),
  annotations: annotationsSchema.default({}),
  /** The alert's alertname label; defaults to the check name. */
  alertname: z.string().min(1).optional(),
};

type CommonConfig = {
  name: string;
  service: string;
  interval: number;
  timeout: number;
  failure_threshold: number;
  recovery_threshold: number;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  alertname?: string | undefined;
};

type VariantConfig<P> = P extends Probe<infer T, infer S> ? CommonConfig & { type: T } & z.output<S> : never;

/** A parsed check: common keys plus its probe type's options. */
export type CheckConfig = VariantConfig<RegisteredProbe>;

function variant(p: Probe) {
  for (const key of Object.keys(p.optionsSchema.shape)) {
    if (key in commonShape || key === 'type') throw new Error(`probe "${p.type}" option "${key}" shadows a common check key`);
  }
  return z.strictObject(
    { ...commonShape, type: z.literal(p.type), ...p.optionsSchema.shape },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')} for a ${p.type} check`
          : undefined,
    },
  );
}

const variants = probes.map((p) => variant(p as unknown as Probe));
const typeList = probes.map((p) => p.type).join(', ');

type Parsed = z.output<(typeof variants)[number]> & { type: string };

const union = z.discriminatedUnion('type', variants as unknown as [(typeof variants)[number]], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined;
    const t = (iss.input as { type?: unknown } | undefined)?.type;
    return t === undefined
      ? `missing check type (one of ${typeList})`
      : `unknown check type ${JSON.stringify(t)} (expected one of ${typeList})`;
  },
});

export const checkSchema: z.ZodType<CheckConfig> = union
  .superRefine((c, ctx) => {
    const p = c as Parsed;
    if (p.interval < MIN_INTERVAL) ctx.addIssue({ code: 'custom', path: ['interval'], message: `interval must be at least ${MIN_INTERVAL}ms` });
    if (p.timeout !== undefined && p.timeout <= 0) ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'timeout must be positive' });
    if (p.timeout !== undefined && p.timeout > p.interval) {
      ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'timeout may not exceed the interval' });
    }
  })
  .transform((c) => {
    const p = c as Parsed;
    return {
      ...p,
      service: p.service ?? p.name,
      timeout: p.timeout ?? Math.min(p.interval, MAX_DEFAULT_TIMEOUT),
    } as unknown as CheckConfig;
  });

/** A list of checks whose names are unique (a duplicate is reported at its own `name`). */
export const checksSchema = z.array(checkSchema).superRefine((checks, ctx) => {
  const first = new Map<string, number>();
  checks.forEach((c, i) => {
    const name = (c as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string') return;
    const at = first.get(name);
    if (at === undefined) first.set(name, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate check name ${JSON.stringify(name)} (first used at index ${at})` });
  });
}, { when: (payload) => Array.isArray(payload.value) });
