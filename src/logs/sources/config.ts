import { z } from 'zod';
import { duration, labelsSchema, nameSchema } from '../../model/schema.js';
import type { ParserSpec } from '../parse/parser.js';

const FORMATS = ['auto', 'plain', 'json', 'logfmt', 'combined', 'syslog', 'syslog5424', 'syslog3164', 'pattern', 'regex'] as const;

/** One `file_sources` entry of vigil.yml. */
export const fileSourceSchema = z
  .strictObject({
    name: nameSchema,
    /** Absolute paths or globs (`*`, `?`, `**`, `[…]`). */
    paths: z.array(z.string().min(1).refine((p) => p.startsWith('/'), 'paths must be absolute')).min(1, 'list at least one path or glob'),
    labels: labelsSchema.default({}),
    format: z.enum(FORMATS).default('auto'),
    pattern: z.string().optional(),
    regex: z.string().optional(),
    field_map: z.record(z.string(), z.string()).optional(),
    poll_interval: duration().default(1000),
  })
  .superRefine((s, ctx) => {
    if (s.format === 'pattern' && !s.pattern) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'format "pattern" needs a pattern' });
    if (s.format === 'regex' && !s.regex) ctx.addIssue({ code: 'custom', path: ['regex'], message: 'format "regex" needs a regex' });
    if (s.poll_interval < 10) ctx.addIssue({ code: 'custom', path: ['poll_interval'], message: 'poll_interval must be at least 10ms' });
  });

export const fileSourcesSchema = z
  .array(fileSourceSchema)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate file source name ${JSON.stringify(s.name)}` });
      seen.add(s.name);
    });
  });

export type FileSourceConfig = z.output<typeof fileSourceSchema>;

export function parserSpecOf(cfg: FileSourceConfig): ParserSpec {
  const fieldMap = cfg.field_map ? { fieldMap: cfg.field_map } : {};
  switch (cfg.format) {
    case 'pattern':
      return { format: 'pattern', pattern: cfg.pattern ?? '', ...fieldMap };
    case 'regex':
      return { format: 'regex', regex: cfg.regex ?? '', ...fieldMap };
    default:
      return { format: cfg.format, ...fieldMap } as ParserSpec;
  }
}
