import { Composer, Document, Lexer, Parser, YAMLParseError, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

type Options = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * The `yaml` library's lexer, except that the lines of a multi-line quoted scalar may start at
 * any column, as Go's YAML parser (which Prometheus, promtool and Alertmanager read their files
 * with) allows. YAML 1.2 wants them indented deeper than their mapping key, and the library
 * ends such a scalar early ("Missing closing 'quote"). Rule files in the wild break series
 * selectors over lines that way:
 *
 *     - series: 'http_requests_total{
 *         job="api"
 *       }'
 *
 * Document markers (`---`, `...` at the start of a line) still end a quoted scalar, as in Go.
 * The library keeps its lexer's state private: this clears the indentation a continuation line
 * needs while a quoted scalar is read, and restores it after. If a later version of the library
 * renames what this relies on, parsing falls back to the strict lexer (and a test fails).
 */
interface LexerInternals {
  indentNext: number;
  parseQuotedScalar(): Generator<string, string | undefined>;
}

class GoCompatibleLexer extends Lexer {}

const strictQuoted = (Lexer.prototype as unknown as Partial<LexerInternals>).parseQuotedScalar;
if (typeof strictQuoted === 'function') {
  (GoCompatibleLexer.prototype as unknown as LexerInternals).parseQuotedScalar = function* (this: LexerInternals) {
    const indent = this.indentNext;
    this.indentNext = 0;
    try {
      return yield* strictQuoted.call(this);
    } finally {
      this.indentNext = indent;
    }
  };
}

function parser(options: Options): Parser {
  const p = new Parser(options.lineCounter?.addNewLine);
  (p as unknown as { lexer: Lexer }).lexer = new GoCompatibleLexer();
  return p;
}

/**
 * One YAML document, as the library's `parseDocument` with `prettyErrors: false` (errors carry
 * offsets in `pos`; callers turn them into lines with their LineCounter), read as Go reads it.
 */
export function parseYamlDocument(source: string, options: Options = {}): Document.Parsed {
  try {
    let doc: Document.Parsed | undefined;
    for (const d of new Composer(options).compose(parser(options).parse(source), true, source.length)) {
      if (!doc) doc = d;
      else {
        doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
        break;
      }
    }
    // compose(…, forceDoc = true) always yields a document, an empty one for empty input.
    return doc as Document.Parsed;
  } catch (e) {
    return tooDeep(e, options);
  }
}

/** Every document of a YAML stream, read as Go reads it (see parseYamlDocument). */
export function parseYamlDocuments(source: string, options: Options = {}): Document.Parsed[] {
  try {
    return Array.from(new Composer(options).compose(parser(options).parse(source)));
  } catch (e) {
    return [tooDeep(e, options)];
  }
}

export const TOO_DEEP_MESSAGE = 'the YAML nests too deeply to be read (its parser ran out of stack): check the indentation and the "- " and ": " on long lines';

/**
 * The library's parser recurses once per level of block collections it closes: a garbled line
 * that opens thousands of them ("- a: b- a: b- a: …" followed by an indented line) exhausts the
 * stack, found by the hostile-input suite. That is an error in the document, not a crash.
 */
function tooDeep(e: unknown, options: Options): Document.Parsed {
  if (!(e instanceof RangeError)) throw e;
  const doc = new Document(null, options) as unknown as Document.Parsed;
  doc.errors.push(new YAMLParseError([0, 0], 'IMPOSSIBLE', TOO_DEEP_MESSAGE));
  return doc;
}
