import { StreamLanguage, type StringStream } from '@codemirror/language';
import type { CompletionContext, CompletionResult, Completion } from '@codemirror/autocomplete';
import type { Extension } from '@codemirror/state';
import { api } from '../lib/api';

/**
 * LogQL for CodeMirror: a stream tokenizer for highlighting (selectors, filters, parsers,
 * functions, durations) and completion of label names and values from this Vigil's Loki
 * API, pipeline stages after `|`, and functions at the start of a metric query.
 */

export const PARSERS = ['json', 'logfmt', 'regexp', 'pattern', 'unpack'];
export const STAGES = ['line_format', 'label_format', 'drop', 'keep', 'unwrap', 'decolorize'];
export const RANGE_FUNCTIONS = ['rate', 'count_over_time', 'bytes_rate', 'bytes_over_time', 'absent_over_time', 'sum_over_time', 'avg_over_time', 'min_over_time', 'max_over_time', 'quantile_over_time', 'first_over_time', 'last_over_time', 'stddev_over_time', 'stdvar_over_time'];
export const AGGREGATIONS = ['sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk', 'stddev', 'stdvar', 'sort', 'sort_desc'];
const KEYWORDS = new Set([...PARSERS, ...STAGES, 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool']);
const FUNCTIONS = new Set([...RANGE_FUNCTIONS, ...AGGREGATIONS, 'label_replace', 'vector']);

interface State {
  braces: number;
}

function token(stream: StringStream, state: State): string | null {
  if (stream.eatSpace()) return null;
  if (stream.match('#')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^`[^`]*`?/)) return 'string';
  if (stream.match(/^\[\d+(?:ms|s|m|h|d|w|y)(?:\d+(?:ms|s|m|h|d|w|y))*\]/)) return 'number';
  if (stream.match(/^\d+(?:\.\d+)?(?:ms|s|m|h|d|w|y|b|kb|mb|gb|kib|mib|gib)?/i)) return 'number';
  if (stream.match(/^(?:\|=|!=|\|~|!~|=~|==|>=|<=|\|>|!>)/)) return 'operator';
  const ch = stream.peek();
  if (ch === '{') {
    stream.next();
    state.braces++;
    return 'brace';
  }
  if (ch === '}') {
    stream.next();
    state.braces = Math.max(0, state.braces - 1);
    return 'brace';
  }
  if (stream.match(/^[a-zA-Z_][a-zA-Z0-9_.]*/)) {
    const word = stream.current();
    if (state.braces > 0) return 'attributeName';
    if (FUNCTIONS.has(word)) return 'function';
    if (KEYWORDS.has(word)) return 'keyword';
    return 'variableName';
  }
  if (stream.match(/^[|=<>!~+\-*/%^,()]/)) return 'operator';
  stream.next();
  return null;
}

export const logqlStream = StreamLanguage.define<State>({
  name: 'logql',
  startState: () => ({ braces: 0 }),
  token,
  copyState: (s) => ({ ...s }),
  languageData: { closeBrackets: { brackets: ['(', '[', '{', '"', '`'] } },
});

const cache = new Map<string, { at: number; values: Promise<string[]> }>();
function cached(path: string): Promise<string[]> {
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < 60_000) return hit.values;
  const values = api.get<{ data?: string[] }>(path).then(
    (r) => r.data ?? [],
    () => [],
  );
  cache.set(path, { at: Date.now(), values });
  return values;
}

const options = (words: readonly string[], type: string, detail?: string): Completion[] => words.map((label) => ({ label, type, ...(detail ? { detail } : {}) }));

/** What may come at the cursor, judged from the text before it. */
export async function completeLogQL(ctx: CompletionContext): Promise<CompletionResult | null> {
  const before = ctx.state.sliceDoc(0, ctx.pos);
  const open = before.lastIndexOf('{');
  const close = before.lastIndexOf('}');
  if (open > close) {
    // Inside a stream selector: a label value after name=" or name=~", else a label name.
    const value = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=|!=|=~|!~)\s*"([^"]*)$/.exec(before);
    if (value) {
      const values = await cached(`/loki/api/v1/label/${encodeURIComponent(value[1] as string)}/values`);
      return { from: ctx.pos - (value[2]?.length ?? 0), options: options(values, 'text'), validFor: /^[^"]*$/ };
    }
    const name = /[{,]\s*([a-zA-Z_][a-zA-Z0-9_]*)?$/.exec(before);
    if (name) {
      const names = await cached('/loki/api/v1/labels');
      return { from: ctx.pos - (name[1]?.length ?? 0), options: options(names, 'property', 'label'), validFor: /^[a-zA-Z0-9_]*$/ };
    }
    return null;
  }
  const stage = /\|\s*([a-z_]*)$/.exec(before);
  if (stage) {
    return {
      from: ctx.pos - (stage[1]?.length ?? 0),
      options: [...options(PARSERS, 'keyword', 'parser'), ...options(STAGES, 'keyword', 'stage'), { label: '= "text"', apply: '= ""', type: 'keyword', detail: 'line contains' }],
      validFor: /^[a-z_]*$/,
    };
  }
  const word = ctx.matchBefore(/[a-z_]+/);
  if (word && (word.from === 0 || /[(\s]$/.test(before.slice(0, word.from)))) {
    return { from: word.from, options: [...options(RANGE_FUNCTIONS, 'function', 'range'), ...options(AGGREGATIONS, 'function', 'aggregation')], validFor: /^[a-z_]*$/ };
  }
  if (ctx.explicit && before.trim() === '') return { from: ctx.pos, options: [{ label: '{', apply: '{}', type: 'keyword', detail: 'stream selector' }] };
  return null;
}

export function logqlLanguage(): Extension {
  return [logqlStream, logqlStream.data.of({ autocomplete: completeLogQL })];
}
