import { fileURLToPath } from 'node:url';
/**
 * Scores the template miner on the Loghub-2k developer set
 * (../shared/conformance/loghub/dev beside the checkout, corrected ground truth, templates keyed by string).
 *
 *   npx tsx bench/loghub-score.ts            markdown table, both settings
 *   npx tsx bench/loghub-score.ts --errors HDFS   also list the worst-parsed templates
 *
 * Settings: "defaults" = Vigil's miner as users get it (only the log format is given);
 * "benchmark" = the same miner plus the Loghub Drain benchmark's per-dataset preprocessing
 * regexes, depth and similarity threshold (values from the conformance README).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miner, compileLogFormat } from '../src/logs/mining/index.js';
import type { MinerOptions } from '../src/logs/mining/index.js';

export const LOGHUB_DIR = process.env['LOGHUB_DIR'] ?? fileURLToPath(new URL('../../shared/conformance/loghub/dev', import.meta.url));

export interface DatasetSpec {
  readonly name: string;
  readonly format: string;
  readonly regexes: readonly RegExp[];
  readonly depth: number;
  readonly st: number;
}

export const DATASETS: readonly DatasetSpec[] = [
  { name: 'HDFS', format: '<Date> <Time> <Pid> <Level> <Component>: <Content>', regexes: [/blk_-?\d+/g, /(\d+\.){3}\d+(:\d+)?/g], depth: 4, st: 0.5 },
  { name: 'Hadoop', format: '<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>', regexes: [/(\d+\.){3}\d+/g], depth: 4, st: 0.5 },
  { name: 'Spark', format: '<Date> <Time> <Level> <Component>: <Content>', regexes: [/(\d+\.){3}\d+/g, /\b[KGTM]?B\b/g, /([\w-]+\.){2,}[\w-]+/g], depth: 4, st: 0.5 },
  { name: 'Zookeeper', format: '<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>', regexes: [/(\/|)(\d+\.){3}\d+(:\d+)?/g], depth: 4, st: 0.5 },
  { name: 'OpenSSH', format: '<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>', regexes: [/(\d+\.){3}\d+/g, /([\w-]+\.){2,}[\w-]+/g], depth: 5, st: 0.6 },
  { name: 'Apache', format: '\\[<Time>\\] \\[<Level>\\] <Content>', regexes: [/(\d+\.){3}\d+/g], depth: 4, st: 0.5 },
  { name: 'Linux', format: '<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>', regexes: [/(\d+\.){3}\d+/g, /\d{2}:\d{2}:\d{2}/g], depth: 6, st: 0.39 },
  { name: 'HealthApp', format: '<Time>\\|<Component>\\|<Pid>\\|<Content>', regexes: [], depth: 4, st: 0.2 },
];

export interface Dataset {
  readonly spec: DatasetSpec;
  readonly lines: string[];
  /** Ground-truth template per line (corrected GT). */
  readonly truth: string[];
}

export function loadDataset(spec: DatasetSpec, dir = LOGHUB_DIR): Dataset {
  const base = join(dir, spec.name, `${spec.name}_2k.log`);
  const lines = readFileSync(base, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const rows = parseCsv(readFileSync(`${base}_structured_corrected.csv`, 'utf8'));
  const header = rows[0] ?? [];
  const col = header.indexOf('EventTemplate');
  const idCol = header.indexOf('LineId');
  const truth: string[] = [];
  for (const row of rows.slice(1)) truth[Number(row[idCol]) - 1] = row[col] ?? '';
  if (truth.length !== lines.length) throw new Error(`${spec.name}: ${lines.length} lines but ${truth.length} truth rows`);
  return { spec, lines, truth };
}

/** RFC 4180 without embedded newlines (true of these files). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const row: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let v = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; }
          else if (line[i] === '"') { i++; break; }
          else v += line[i++];
        }
        row.push(v);
        i++; // comma
      } else {
        const j = line.indexOf(',', i);
        const end = j < 0 ? line.length : j;
        row.push(line.slice(i, end).replace(/\r$/, ''));
        i = end + 1;
      }
    }
    rows.push(row);
  }
  return rows;
}

export type Setting = 'defaults' | 'benchmark';

/** Ablation steps (`--ablation`): what each part of the default miner adds, no per-dataset settings. */
/** The structural rules (beyond token masking): see src/logs/mining/rules.ts. */
const STRUCTURE_OFF = { numberedNames: false, keyValues: false, crossLength: false, betweenValues: false } as const;

export const ABLATION: readonly { readonly name: string; readonly options: MinerOptions }[] = [
  { name: 'Drain core only (no masking, st 0.5, no splitting)', options: { mask: false, similarity: 0.5, maxSplitValues: 0, rules: STRUCTURE_OFF } },
  { name: '+ default masking', options: { similarity: 0.5, maxSplitValues: 0, rules: STRUCTURE_OFF } },
  { name: '+ similarity 0.75', options: { maxSplitValues: 0, rules: STRUCTURE_OFF } },
  { name: '+ splitting on few-valued words', options: { rules: STRUCTURE_OFF } },
  { name: '+ numbered names, key=value, cross-length, between values (= defaults)', options: {} },
];

function optionsFor(ds: Dataset, setting: Setting | MinerOptions): MinerOptions {
  if (setting === 'defaults') return {};
  if (setting === 'benchmark') {
    return {
      depth: ds.spec.depth,
      similarity: ds.spec.st,
      preprocess: (s: string) => ds.spec.regexes.reduce((acc, re) => acc.replace(re, '<*>'), s),
    };
  }
  return setting;
}

/** Mines a dataset and returns each line's final template (two passes, as the CLI does). */
export function mineDataset(ds: Dataset, setting: Setting | MinerOptions): string[] {
  const format = compileLogFormat(ds.spec.format);
  const miner = new Miner(optionsFor(ds, setting));
  const ids = ds.lines.map((line) => {
    const content = format.parse(line)?.['Content'] ?? line.trim();
    return miner.add(content, 0).patternId;
  });
  return ids.map((id) => miner.templateOf(id) ?? '');
}

export interface Scores {
  readonly ga: number;
  readonly pa: number;
}

/** GA and PA as defined in the conformance README (groups keyed by template string). */
export function score(truth: readonly string[], parsed: readonly string[]): Scores {
  const n = truth.length;
  const groupsOf = (xs: readonly string[]) => {
    const m = new Map<string, number[]>();
    xs.forEach((x, i) => {
      const g = m.get(x);
      if (g) g.push(i);
      else m.set(x, [i]);
    });
    return m;
  };
  const gt = groupsOf(truth);
  const pg = groupsOf(parsed);
  let grouped = 0;
  for (const lines of gt.values()) {
    const p = pg.get(parsed[lines[0] as number] as string) as number[];
    if (p.length === lines.length && p.every((i) => truth[i] === truth[lines[0] as number])) grouped += lines.length;
  }
  let exact = 0;
  for (let i = 0; i < n; i++) if (truth[i] === parsed[i]) exact++;
  return { ga: grouped / n, pa: exact / n };
}

function errors(ds: Dataset, parsed: readonly string[], limit = 25): string {
  const wrong = new Map<string, { n: number; got: Set<string>; sample: string }>();
  ds.truth.forEach((g, i) => {
    if (g === parsed[i]) return;
    const e = wrong.get(g) ?? { n: 0, got: new Set<string>(), sample: ds.lines[i] as string };
    e.n++;
    e.got.add(parsed[i] as string);
    wrong.set(g, e);
  });
  return [...wrong.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, limit)
    .map(([g, e]) => `${e.n}\n  GT : ${g}\n  got: ${[...e.got].slice(0, 4).join('\n       ')}`)
    .join('\n');
}

function main(argv: string[]): void {
  const errorsFor = argv[argv.indexOf('--errors') + 1];
  const rows: string[] = ['| Dataset | GA (defaults) | PA (defaults) | GA (benchmark settings) | PA (benchmark settings) |', '|---|---|---|---|---|'];
  const sum = { dga: 0, dpa: 0, bga: 0, bpa: 0 };
  for (const spec of DATASETS) {
    const ds = loadDataset(spec);
    const d = score(ds.truth, mineDataset(ds, 'defaults'));
    const b = score(ds.truth, mineDataset(ds, 'benchmark'));
    sum.dga += d.ga; sum.dpa += d.pa; sum.bga += b.ga; sum.bpa += b.pa;
    rows.push(`| ${spec.name} | ${f(d.ga)} | ${f(d.pa)} | ${f(b.ga)} | ${f(b.pa)} |`);
    if (argv.includes('--errors') && (errorsFor === spec.name || errorsFor === 'all')) {
      console.error(`--- ${spec.name} (defaults) ---\n${errors(ds, mineDataset(ds, 'defaults'))}`);
    }
  }
  const k = DATASETS.length;
  rows.push(`| **Average** | **${f(sum.dga / k)}** | **${f(sum.dpa / k)}** | **${f(sum.bga / k)}** | **${f(sum.bpa / k)}** |`);
  console.log(rows.join('\n'));
  if (argv.includes('--ablation')) {
    const out = ['', '| Miner (no per-dataset settings) | avg GA | avg PA |', '|---|---|---|'];
    const datasets = DATASETS.map((spec) => loadDataset(spec));
    for (const step of ABLATION) {
      const scores = datasets.map((ds) => score(ds.truth, mineDataset(ds, step.options)));
      const avg = (key: 'ga' | 'pa') => scores.reduce((a, x) => a + x[key], 0) / scores.length;
      out.push(`| ${step.name} | ${f(avg('ga'))} | ${f(avg('pa'))} |`);
    }
    console.log(out.join('\n'));
  }
}

function f(x: number): string {
  return x.toFixed(4);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
