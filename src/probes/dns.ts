import { promises as dnsPromises } from 'node:dns';
import net from 'node:net';
import { z } from 'zod';
import type { Probe, ProbeContext, ProbeResult } from './probe.js';
import { abortMessage, failure, quote, stopwatch, success } from './probe.js';

const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

/** An IP address with an optional port: node's resolver takes addresses, not host names. */
function validServer(s: string): boolean {
  if (net.isIP(s) !== 0) return true;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return false;
  const port = Number(m[3]);
  return net.isIP((m[1] ?? m[2]) as string) !== 0 && port >= 1 && port <= 65535;
}

const dnsOptions = z.strictObject({
  query_name: z.string().min(1),
  record_type: z
    .string()
    .transform((t) => t.toUpperCase())
    .pipe(z.enum(RECORD_TYPES, { error: `expected one of ${RECORD_TYPES.join(', ')}` }))
    .default('A'),
  /** Query this server instead of the system's resolvers (/etc/resolv.conf). */
  server: z
    .string()
    .refine(validServer, { message: 'expected an IP address with an optional port, e.g. 1.1.1.1 or 127.0.0.1:5353' })
    .optional(),
  /**
   * Each of these must be among the answers (case and a trailing dot ignored). Answers are
   * written as dig prints their data: an address, a name, `10 mail.example.com` for MX
   * (the exchange alone also matches), the joined strings for TXT.
   */
  expect_answers: z.array(z.string().min(1)).min(1).optional(),
});

export type DnsOptions = z.output<typeof dnsOptions>;

function format(type: RecordType, raw: unknown): string[] {
  switch (type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return raw as string[];
    case 'MX':
      return (raw as Array<{ priority: number; exchange: string }>).map((r) => `${r.priority} ${r.exchange}`);
    case 'TXT':
      return (raw as string[][]).map((chunks) => chunks.join(''));
    case 'SRV':
      return (raw as Array<{ priority: number; weight: number; port: number; name: string }>).map(
        (r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`,
      );
    case 'SOA': {
      const r = raw as { nsname: string; hostmaster: string; serial: number };
      return [`${r.nsname} ${r.hostmaster} ${r.serial}`];
    }
    default: {
      const never: never = type;
      return [String(never)];
    }
  }
}

const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, '');

function answered(expected: string, answers: readonly string[], type: RecordType): boolean {
  const want = norm(expected);
  return answers.some((a) => norm(a) === want || (type === 'MX' && norm(a.split(' ')[1] ?? '') === want));
}

function describeDnsError(err: unknown, o: DnsOptions): string {
  const code = (err as NodeJS.ErrnoException).code;
  const via = o.server ? ` (server ${o.server})` : '';
  switch (code) {
    case 'ENOTFOUND':
      return `${o.query_name} not found (NXDOMAIN)${via}`;
    case 'ENODATA':
      return `no ${o.record_type} records for ${o.query_name}${via}`;
    case 'ETIMEOUT':
      return `DNS query for ${o.query_name} got no answer${via}`;
    case 'ECONNREFUSED':
      return `DNS server refused the connection${via}`;
    case 'ESERVFAIL':
      return `server failure (SERVFAIL) for ${o.query_name}${via}`;
    case 'EREFUSED':
      return `query for ${o.query_name} refused (REFUSED)${via}`;
    default:
      return `DNS query for ${o.query_name} failed: ${code ?? (err as Error).message}${via}`;
  }
}

async function run(o: DnsOptions, ctx: ProbeContext): Promise<ProbeResult> {
  const elapsed = stopwatch();
  if (ctx.signal.aborted) return failure(0, abortMessage(ctx.signal, ctx.timeoutMs));
  // c-ares gives up a little after our own timeout, so a slow server reads 'timeout after Xms'.
  const resolver = new dnsPromises.Resolver({ timeout: Math.round(ctx.timeoutMs) + 250, tries: 1 });
  if (o.server) resolver.setServers([o.server]);
  const onAbort = () => resolver.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let answers: string[];
  try {
    answers = format(o.record_type, await resolver.resolve(o.query_name, o.record_type));
  } catch (err) {
    if (ctx.signal.aborted) return failure(elapsed(), abortMessage(ctx.signal, ctx.timeoutMs));
    return failure(elapsed(), describeDnsError(err, o), { probe_dns_answer_rrs: 0 });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  const took = elapsed();
  const metrics = { probe_dns_answer_rrs: answers.length };
  const shown = answers.length > 0 ? answers.slice(0, 5).join(', ') + (answers.length > 5 ? ', …' : '') : 'none';
  for (const want of o.expect_answers ?? []) {
    if (!answered(want, answers, o.record_type)) {
      return failure(took, `${o.query_name} ${o.record_type} has no answer ${quote(want)} (got ${shown})`, metrics);
    }
  }
  return success(took, `${o.query_name} ${o.record_type}: ${shown}`, metrics);
}

export const dnsProbe: Probe<'dns', typeof dnsOptions> = {
  type: 'dns',
  optionsSchema: dnsOptions,
  run,
};
