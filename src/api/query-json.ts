import { formatGoFloat, type Point, type QueryResult, type Sample, type Series } from '../promql/index.js';

/** Characters per chunk of a query answer (see queryAnswerChunks). */
const CHUNK_CHARS = 64 * 1024;

/** Pieces of text joined into flat chunks of about CHUNK_CHARS (no rope of small strings kept). */
class ChunkWriter {
  readonly chunks: string[] = [];
  private parts: string[] = [];
  private size = 0;

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK_CHARS) this.cut();
  }

  cut(): void {
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/**
 * The Prometheus API's success answer for a query result, as JSON text in chunks of about 64 KiB:
 * the same text as `JSON.stringify({ status: 'success', data: serializeResult(r), warnings, infos })`,
 * written series by series instead of first copying the result into an object per series and
 * an array per point (for 150k series that copy took more memory than the text).
 */
export function queryAnswerChunks(r: QueryResult): string[] {
  const w = new ChunkWriter();
  w.write(`{"status":"success","data":{"resultType":"${r.resultType}","result":`);
  switch (r.resultType) {
    case 'scalar':
      w.write(point(r.result.t, r.result.v));
      break;
    case 'string':
      w.write(JSON.stringify([r.result.t / 1000, r.result.v]));
      break;
    case 'vector':
      w.write('[');
      for (let i = 0; i < r.result.length; i++) {
        const s = r.result[i] as Sample;
        w.write(`${i > 0 ? ',' : ''}{"metric":${JSON.stringify(s.labels)},"value":${point(s.t, s.v)}}`);
      }
      w.write(']');
      break;
    case 'matrix':
      w.write('[');
      for (let i = 0; i < r.result.length; i++) {
        const s = r.result[i] as Series;
        w.write(`${i > 0 ? ',' : ''}{"metric":${JSON.stringify(s.labels)},"values":[`);
        const pts = s.points;
        for (let j = 0; j < pts.length; j++) {
          const p = pts[j] as Point;
          w.write(j > 0 ? `,${point(p.t, p.v)}` : point(p.t, p.v));
        }
        w.write(']}');
      }
      w.write(']');
      break;
    default: {
      const never: never = r;
      return never;
    }
  }
  w.write('}');
  if (r.warnings.length > 0) w.write(`,"warnings":${JSON.stringify(r.warnings)}`);
  if (r.infos.length > 0) w.write(`,"infos":${JSON.stringify(r.infos)}`);
  w.write('}');
  w.cut();
  return w.chunks;
}

function point(t: number, v: number): string {
  return `[${t / 1000},"${formatGoFloat(v)}"]`;
}
