import { httpProbe } from './http.js';
import { tcpProbe } from './tcp.js';
import { dnsProbe } from './dns.js';
import { tlsProbe } from './tls.js';
import type { Probe } from './probe.js';

/** Every probe type, one line each. config.ts builds the check schema from this list. */
export const probes = [
  httpProbe,
  tcpProbe,
  dnsProbe,
  tlsProbe,
] as const;

export type RegisteredProbe = (typeof probes)[number];
export type ProbeType = RegisteredProbe['type'];

const byType = new Map<string, Probe>(probes.map((p) => [p.type, p as unknown as Probe]));

export function probeFor(type: string): Probe | undefined {
  return byType.get(type);
}

export const probeTypes: readonly ProbeType[] = probes.map((p) => p.type);
