import type { Cluster } from './cluster.js';
import type { MinerSettings } from './miner-options.js';

export interface SnapshotPattern {
  readonly id: string;
  /** Its words at the cluster's splitting positions: [position, word]. */
  readonly fixed: [number, string][];
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly samples: string[];
  readonly buckets: [number, number][];
  readonly lastSeq: number;
  /** Ids of patterns merged into this one. */
  readonly aliases: string[];
}

export interface SnapshotCluster {
  /** Template tokens (a template is its tokens joined by one space). */
  readonly tokens: string[];
  /** The prefix-tree keys the cluster lives under, so a restore routes lines exactly as before. */
  readonly route: string[];
  /** Tracked positions: [position, [word, lines][]], or [position, null] once variable. */
  readonly tracked: [number, [string, number][] | null][];
  readonly patterns: SnapshotPattern[];
  /** Id of the pattern of another token count its lines count on (then it has no patterns). */
  readonly forward?: string;
}

/** Plain JSON: `JSON.stringify` it to persist, pass the parsed value to `Miner.restore`. */
export interface MinerSnapshot {
  readonly version: 1;
  readonly settings: MinerSettings;
  readonly seq: number;
  readonly clusters: SnapshotCluster[];
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export function snapshotOf(settings: MinerSettings, seq: number, clusters: Iterable<Cluster>): MinerSnapshot {
  const out: SnapshotCluster[] = [];
  for (const c of clusters) {
    out.push({
      ...(c.forward ? { forward: c.forward.id } : {}),
      tokens: c.tokens.slice(),
      route: c.leaf.route.slice(),
      tracked: [...c.tracked].map(([i, words]) => [i, words === null ? null : [...words]]),
      patterns: [...c.patterns.values()].map((p) => ({
        id: p.id,
        fixed: [...p.fixed],
        count: p.count,
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        samples: p.samples.slice(),
        buckets: p.buckets.map((b): [number, number] => [b[0], b[1]]),
        lastSeq: p.lastSeq,
        aliases: p.aliases.slice(),
      })),
    });
  }
  return { version: 1, settings: { ...settings }, seq, clusters: out };
}

/** Validates a parsed snapshot; errors name the offending path. Option ranges are checked by the Miner. */
export function restoreSnapshot(raw: unknown): MinerSnapshot {
  const obj = record(raw, 'snapshot');
  if (obj['version'] !== 1) throw new SnapshotError(`snapshot.version: expected 1, got ${JSON.stringify(obj['version'])}`);
  const s = record(obj['settings'], 'snapshot.settings');
  const at = (k: string) => `snapshot.settings.${k}`;
  const settings: MinerSettings = {
    similarity: num(s['similarity'], at('similarity')),
    depth: num(s['depth'], at('depth')),
    maxChildren: num(s['maxChildren'], at('maxChildren')),
    maxSplitValues: num(s['maxSplitValues'], at('maxSplitValues')),
    maxPatterns: num(s['maxPatterns'], at('maxPatterns')),
    maxSamples: num(s['maxSamples'], at('maxSamples')),
    bucketMs: num(s['bucketMs'], at('bucketMs')),
    maxBuckets: num(s['maxBuckets'], at('maxBuckets')),
    mask: bool(s['mask'], at('mask')),
  };
  const ids = new Set<string>();
  const claim = (id: string, where: string) => {
    if (ids.has(id)) throw new SnapshotError(`${where}: duplicate id ${JSON.stringify(id)}`);
    ids.add(id);
  };
  const clusters = list(obj['clusters'], 'snapshot.clusters').map((rc, ci): SnapshotCluster => {
    const where = `snapshot.clusters[${ci}]`;
    const o = record(rc, where);
    const tokens = strings(o['tokens'], `${where}.tokens`);
    const route = strings(o['route'], `${where}.route`);
    if (route.length > tokens.length) throw new SnapshotError(`${where}.route: longer than the template`);
    const position = (v: unknown, w: string) => {
      const i = num(v, w);
      if (!Number.isInteger(i) || i < 0 || i >= tokens.length) throw new SnapshotError(`${w}: not a token position`);
      return i;
    };
    const tracked = list(o['tracked'], `${where}.tracked`).map((t, ti): [number, [string, number][] | null] => {
      const w = `${where}.tracked[${ti}]`;
      const pair = tuple(t, w);
      if (pair[1] === null) return [position(pair[0], `${w}[0]`), null];
      const words = list(pair[1], `${w}[1]`).map((x, xi): [string, number] => {
        const wp = tuple(x, `${w}[1][${xi}]`);
        return [str(wp[0], `${w}[1][${xi}][0]`, true), num(wp[1], `${w}[1][${xi}][1]`)];
      });
      return [position(pair[0], `${w}[0]`), words];
    });
    const patterns = list(o['patterns'], `${where}.patterns`).map((rp, pi): SnapshotPattern => {
      const w = `${where}.patterns[${pi}]`;
      const p = record(rp, w);
      const id = str(p['id'], `${w}.id`);
      claim(id, `${w}.id`);
      const aliases = strings(p['aliases'], `${w}.aliases`);
      aliases.forEach((a, ai) => claim(a, `${w}.aliases[${ai}]`));
      return {
        id,
        fixed: list(p['fixed'], `${w}.fixed`).map((f, fi): [number, string] => {
          const fp = tuple(f, `${w}.fixed[${fi}]`);
          return [position(fp[0], `${w}.fixed[${fi}][0]`), str(fp[1], `${w}.fixed[${fi}][1]`, true)];
        }),
        count: num(p['count'], `${w}.count`),
        firstSeen: num(p['firstSeen'], `${w}.firstSeen`),
        lastSeen: num(p['lastSeen'], `${w}.lastSeen`),
        samples: strings(p['samples'], `${w}.samples`),
        buckets: list(p['buckets'], `${w}.buckets`).map((b, bi): [number, number] => {
          const bp = tuple(b, `${w}.buckets[${bi}]`);
          return [num(bp[0], `${w}.buckets[${bi}][0]`), num(bp[1], `${w}.buckets[${bi}][1]`)];
        }),
        lastSeq: num(p['lastSeq'], `${w}.lastSeq`),
        aliases,
      };
    });
    if (o['forward'] === undefined) return { tokens, route, tracked, patterns };
    const forward = str(o['forward'], `${where}.forward`);
    if (patterns.length > 0) throw new SnapshotError(`${where}: a forwarding cluster has no patterns of its own`);
    return { tokens, route, tracked, patterns, forward };
  });
  for (const [ci, c] of clusters.entries()) {
    if (c.forward !== undefined && !ids.has(c.forward)) throw new SnapshotError(`snapshot.clusters[${ci}].forward: no pattern ${JSON.stringify(c.forward)}`);
  }
  return { version: 1, settings, seq: num(obj['seq'], 'snapshot.seq'), clusters };
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new SnapshotError(`${at}: expected an array`);
  return v;
}

function tuple(v: unknown, at: string): [unknown, unknown] {
  if (!Array.isArray(v) || v.length !== 2) throw new SnapshotError(`${at}: expected a pair`);
  return [v[0], v[1]];
}

function record(v: unknown, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SnapshotError(`${at}: expected an object`);
  return v as Record<string, unknown>;
}

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SnapshotError(`${at}: expected a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw new SnapshotError(`${at}: expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, at: string, emptyOk = false): string {
  if (typeof v !== 'string' || (v === '' && !emptyOk)) throw new SnapshotError(`${at}: expected a non-empty string`);
  return v;
}

function strings(v: unknown, at: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new SnapshotError(`${at}: expected an array of strings`);
  return v.slice() as string[];
}
