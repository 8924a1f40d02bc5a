import { open, rename, stat, writeFile, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { systemClock } from '../../model/clock.js';
import type { Clock, TimerHandle } from '../../model/clock.js';
import { createLineParser } from '../parse/parser.js';
import type { LineParser } from '../parse/parser.js';
import type { LogInput } from '../types.js';
import { parserSpecOf } from './config.js';
import type { FileSourceConfig } from './config.js';
import { expandGlob } from './glob.js';
import { minOf } from '../../model/arrays.js';

/** Where reading a file resumes: the byte after the last line the sink accepted. */
export interface FilePosition {
  path: string;
  dev: number;
  ino: number;
  offset: number;
}

export interface PositionStore {
  load(): Promise<Record<string, FilePosition>>;
  save(positions: Record<string, FilePosition>): Promise<void>;
}

/** Positions in one JSON file, replaced atomically (temp file + rename) so a crash leaves the old or the new. */
export class JsonPositionStore implements PositionStore {
  constructor(private readonly file: string) {}

  async load(): Promise<Record<string, FilePosition>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    try {
      const doc = JSON.parse(text) as { positions?: Record<string, FilePosition> };
      return doc.positions ?? {};
    } catch (e) {
      throw new Error(`file source positions ${this.file}: invalid JSON (${(e as Error).message})`);
    }
  }

  async save(positions: Record<string, FilePosition>): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify({ version: 1, positions }));
    await rename(tmp, this.file);
  }
}

export interface FileSourceOptions {
  sources: readonly FileSourceConfig[];
  positions: PositionStore;
  /** Must resolve only once the lines are durable; a rejection leaves them to be read again. */
  sink: (inputs: LogInput[]) => Promise<void>;
  clock?: Clock;
  /** Bytes read per batch; a line longer than this is split (default 1 MiB). */
  maxReadBytes?: number;
  onError?: (err: unknown, where: string) => void;
}

interface Tracked {
  key: string;
  source: FileSourceConfig;
  parser: LineParser;
  path: string;
  fd: FileHandle;
  dev: number;
  ino: number;
  offset: number;
  /** No matched path points at this inode any more: read it to the end, then let go. */
  rotated: boolean;
  sizeAtLastPoll: number;
}

const NL = 0x0a;

/**
 * Tails the files matched by each source's globs, by polling on the injected clock.
 *
 * - Files are identified by (device, inode), so a rename is not a new file.
 * - Rotation (rename + new file): the old inode is read to its end through the open
 *   descriptor (a final line without newline is emitted once the file stops growing),
 *   and the new file starts at 0.
 * - Truncation (size < offset, as copytruncate does): reading restarts at 0.
 * - A trailing partial line is not consumed until its newline arrives.
 * - Positions are saved only after the sink accepted the lines before them, so a
 *   restart neither skips lines nor re-reads lines already acknowledged (a crash between
 *   the sink and the save can repeat that one batch: at-least-once).
 */
export class FileSource {
  private readonly clock: Clock;
  private readonly maxRead: number;
  private readonly parsers = new Map<string, LineParser>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly due = new Map<string, number>();
  private positions: Record<string, FilePosition> = {};
  private loaded = false;
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: FileSourceOptions) {
    this.clock = opts.clock ?? systemClock;
    this.maxRead = opts.maxReadBytes ?? 1024 * 1024;
    // Fail fast on a bad pattern/regex: at construction, not on the first line.
    for (const s of opts.sources) this.parsers.set(s.name, createLineParser(parserSpecOf(s), () => this.clock.now()));
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    for (const f of this.tracked.values()) await f.fd.close().catch(() => undefined);
    this.tracked.clear();
  }

  /** Files currently followed (path → offset), for status pages and tests. */
  files(): Array<{ source: string; path: string; offset: number; rotated: boolean }> {
    return [...this.tracked.values()].map((f) => ({ source: f.source.name, path: f.path, offset: f.offset, rotated: f.rotated }));
  }

  private schedule(): void {
    if (this.stopped || this.opts.sources.length === 0) return;
    const interval = minOf(this.opts.sources.map((s) => s.poll_interval));
    this.timer = this.clock.setTimeout(() => {
      void this.poll(false).finally(() => this.schedule());
    }, interval);
  }

  /**
   * One pass: look for new, rotated or vanished files (every source, or with `all` false
   * only those whose poll_interval has passed), then read what was appended. Passes never overlap.
   */
  poll(all = true): Promise<void> {
    const run = (this.running ?? Promise.resolve()).then(() => this.pollOnce(all));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async pollOnce(all: boolean): Promise<void> {
    if (!this.loaded) {
      this.positions = await this.opts.positions.load();
      this.loaded = true;
    }
    const now = this.clock.now();
    for (const source of this.opts.sources) {
      if (!all && (this.due.get(source.name) ?? 0) > now) continue;
      this.due.set(source.name, now + source.poll_interval);
      try {
        await this.discover(source);
      } catch (e) {
        this.opts.onError?.(e, `file source ${source.name}`);
      }
    }
    for (const f of [...this.tracked.values()]) {
      if (this.stopped) return;
      try {
        await this.drain(f);
      } catch (e) {
        this.opts.onError?.(e, `file source ${f.source.name}: ${f.path}`);
      }
    }
  }

  private async discover(source: FileSourceConfig): Promise<void> {
    const paths = new Set<string>();
    for (const g of source.paths) for (const p of await expandGlob(g)) paths.add(p);
    const present = new Set<string>();
    for (const path of [...paths].sort()) {
      let st;
      try {
        st = await stat(path);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const key = `${source.name}:${st.dev}:${st.ino}`;
      present.add(key);
      const known = this.tracked.get(key);
      if (known) {
        known.path = path;
        known.rotated = false;
        continue;
      }
      const fd = await open(path, 'r');
      const saved = this.positions[key];
      this.tracked.set(key, {
        key,
        source,
        parser: this.parsers.get(source.name)!,
        path,
        fd,
        dev: st.dev,
        ino: st.ino,
        offset: saved?.offset ?? 0,
        rotated: false,
        sizeAtLastPoll: -1,
      });
    }
    for (const f of this.tracked.values()) if (f.source === source && !present.has(f.key)) f.rotated = true;
  }

  private async drain(f: Tracked): Promise<void> {
    const size = (await f.fd.stat()).size;
    if (size < f.offset) f.offset = 0; // truncated in place
    const grew = size !== f.sizeAtLastPoll;
    f.sizeAtLastPoll = size;
    const buf = Buffer.allocUnsafe(this.maxRead);
    for (;;) {
      const { bytesRead } = await f.fd.read(buf, 0, this.maxRead, f.offset);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      let consumed = chunk.lastIndexOf(NL) + 1;
      if (consumed === 0) {
        // No newline: a line longer than a read is split; a trailing partial waits for its end,
        // unless the file was rotated away and stopped growing — then it is the file's last line.
        if (bytesRead === this.maxRead || (f.rotated && !grew)) consumed = bytesRead;
        else break;
      }
      const text = chunk.subarray(0, consumed).toString('utf8');
      const lines = text.split('\n');
      if (text.endsWith('\n')) lines.pop();
      const inputs: LogInput[] = [];
      for (let line of lines) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') continue;
        inputs.push(this.toInput(f, line));
      }
      if (inputs.length) await this.opts.sink(inputs);
      f.offset += consumed;
      this.positions[f.key] = { path: f.path, dev: f.dev, ino: f.ino, offset: f.offset };
      await this.opts.positions.save(this.positions);
      if (this.stopped) return;
    }
    if (f.rotated && f.offset >= size && !grew) {
      await f.fd.close();
      this.tracked.delete(f.key);
      delete this.positions[f.key];
      await this.opts.positions.save(this.positions);
    }
  }

  private toInput(f: Tracked, line: string): LogInput {
    const parsed = f.parser(line);
    const t = parsed.timestamp !== undefined && Number.isFinite(parsed.timestamp) ? Math.trunc(parsed.timestamp) : this.clock.now();
    const input: LogInput = { labels: { job: f.source.name, ...f.source.labels, filename: f.path }, t, line };
    if (Object.keys(parsed.fields).length) input.fields = { ...parsed.fields };
    return input;
  }
}
