import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { createLineParser } from '../logs/index.js';
import { LogFormatError, Miner, compileLogFormat } from '../logs/mining/index.js';
import type { LogFormat } from '../logs/mining/index.js';
import { UsageError } from './command.js';
import type { CliIO, Command } from './command.js';
import { maxOf } from '../model/arrays.js';

const usage = `Usage: vigil logs patterns FILE [--log-format FORMAT] [--jsonl]

Mines the log templates of FILE ("-" reads standard input).

  --log-format FORMAT  Loghub-style line format; only its <Content> field is mined, e.g.
                       '<Date> <Time> <Pid> <Level> <Component>: <Content>'
                       (each <Field> matches any text, spaces match any whitespace, the rest
                       is a regular expression). Without it each line's format is
                       detected as the server does, and its message is mined: the msg of
                       a JSON or logfmt line, the text after a timestamp/level header.
  --jsonl              One JSON object per input line, in input order:
                       {"line": N, "pattern": "<id>", "template": "<template>"}
                       with each pattern's final template. Without it: a table of patterns
                       by count (count, id, template).`;

/** Lines not matching the format: this many are named one by one, then only counted. */
const MAX_MISMATCH_REPORTS = 20;

export const logsPatternsCommand: Command = {
  name: 'logs patterns',
  summary: 'mine log templates (patterns) from a file',
  usage,
  run,
};

async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'log-format': { type: 'string' }, jsonl: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing FILE (use "-" for standard input)' : `expected one FILE, got ${positionals.length}`);
  }
  const file = positionals[0] as string;
  let format: LogFormat | undefined;
  if (values['log-format'] !== undefined) {
    try {
      format = compileLogFormat(values['log-format']);
    } catch (err) {
      if (err instanceof LogFormatError) throw new UsageError(`--log-format: ${err.message}`);
      throw err;
    }
  }

  let input: Readable;
  if (file === '-') input = process.stdin;
  else {
    const problem = await unreadable(file);
    if (problem) {
      io.stderr(`vigil logs patterns: cannot read ${file}: ${problem}\n`);
      return 1;
    }
    input = createReadStream(file, { encoding: 'utf8' });
  }

  // Pass 1: mine every line, remembering its pattern id. Pass 2 prints each line's pattern
  // with the template it has at the end of the input (templates generalise as lines arrive).
  const miner = new Miner();
  const parse = format ? undefined : createLineParser({ format: 'auto' });
  const ids: string[] = [];
  const lastTemplate = new Map<string, string>();
  let mismatches = 0;
  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      const n = ids.length + 1;
      let content = parse ? parse(line).message.trim() : line.trim();
      if (format) {
        const fields = format.parse(line);
        if (fields) content = fields['Content'] ?? '';
        else {
          mismatches++;
          if (mismatches <= MAX_MISMATCH_REPORTS) {
            io.stderr(`${file}:${n}: line does not match --log-format; mining the whole line\n`);
          }
        }
      }
      const r = miner.add(content);
      ids.push(r.patternId);
      lastTemplate.set(r.patternId, r.template);
    }
  } catch (err) {
    io.stderr(`vigil logs patterns: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  if (mismatches > MAX_MISMATCH_REPORTS) {
    io.stderr(`${file}: ${mismatches - MAX_MISMATCH_REPORTS} more lines did not match --log-format\n`);
  }

  const templateOf = (id: string) => miner.templateOf(id) ?? lastTemplate.get(id) ?? '';
  if (values.jsonl) {
    let chunk = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      chunk += `${JSON.stringify({ line: i + 1, pattern: id, template: templateOf(id) })}\n`;
      if (chunk.length > 65_536) {
        io.stdout(chunk);
        chunk = '';
      }
    }
    if (chunk) io.stdout(chunk);
    return 0;
  }
  io.stdout(table(miner, ids.length));
  return 0;
}

async function unreadable(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file);
    return s.isDirectory() ? 'is a directory' : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
  }
}

function table(miner: Miner, lines: number): string {
  const patterns = miner.patterns().sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
  const width = maxOf([5, ...patterns.map((p) => String(p.count).length)]);
  const rows = [`${'COUNT'.padStart(width)}  ${'PATTERN'.padEnd(12)}  TEMPLATE`];
  for (const p of patterns) rows.push(`${String(p.count).padStart(width)}  ${p.id.padEnd(12)}  ${p.template}`);
  rows.push(`${patterns.length} patterns in ${lines} lines`);
  return `${rows.join('\n')}\n`;
}
