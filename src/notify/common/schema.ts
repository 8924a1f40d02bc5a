import { z } from 'zod';
import { duration } from '../../model/schema.js';

/** An absolute http:// or https:// URL. */
export const httpUrl = z.string().superRefine((s, ctx) => {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'expected an absolute http:// or https:// URL' });
    return;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `unsupported scheme "${u.protocol.replace(/:$/, '')}" for URL` });
  }
});

/** `host:port` (Alertmanager's HostPort: smarthost, global.smtp_smarthost); the port may not be empty. */
export const hostPort = z.string().superRefine((s, ctx) => {
  const m = /^(\[[^\]]+\]|[^:]*):(\d*)$/.exec(s);
  if (!m) ctx.addIssue({ code: 'custom', message: `address ${JSON.stringify(s)}: expected host:port, like smtp.example.org:587` });
  else if (m[2] === '') ctx.addIssue({ code: 'custom', message: `address ${JSON.stringify(s)}: port cannot be empty` });
});

/** A Go template text (checked against the template engine when integrations are built). */
export const templateText = z.string();

/**
 * `timeout`: the deadline of one delivery attempt. Alertmanager has it on some integrations
 * (0 = none); Vigil has it on every one, default 10s, so a hung peer cannot hold a delivery slot.
 */
export const timeoutSchema = duration().optional();
export const DEFAULT_TIMEOUT_MS = 10_000;

export const sendResolved = (dflt: boolean) => z.boolean().default(dflt);
