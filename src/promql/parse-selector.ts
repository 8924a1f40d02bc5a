import { newMatcher, type Matcher, type MatchType } from '../model/matcher.js';
import type { Expr, VectorSelector } from './ast.js';
import { ParseError } from './errors.js';
import { goRune, INVALID_UTF8_PREFIX, type Token } from './lexer.js';
import { DurationParser } from './parse-duration.js';

/** Vector selectors: `name`, `name{l="v", …}`, `{"quoted.name", …}`. */
export class SelectorParser extends DurationParser {
  /** When 1, a selector may consist only of matchers that match "" (info()'s second argument). */
  protected relaxSelectors = 0;

  protected parseSelector(name: string | undefined, startTok: Token): Expr {
    this.expectOp('{');
    const matchers: Matcher[] = [];
    let metricName = name;
    while (!this.isOp('}')) {
      const lt = this.next();
      let label: string;
      if (lt.kind === 'ident' && !lt.text.includes(':')) label = lt.text;
      else if (lt.kind === 'string') label = lt.value;
      else if (lt.kind === 'eof') this.fail(lt, 'unexpected end of input inside braces');
      else if (lt.kind === 'op' && lt.text === ',') this.unexpected(lt, ' in label matching, expected identifier or "}"');
      else this.fail(lt, `unexpected character inside braces: ${goRune(lt.kind === 'ident' ? (lt.text[lt.text.indexOf(':')] as string) : (lt.text[0] ?? ''))}`);
      if (lt.kind === 'string' && (this.isOp(',') || this.isOp('}'))) {
        // `{"metric.name"}`: a quoted metric name in braces.
        if (metricName !== undefined) this.fail(lt, `metric name must not be set twice: ${JSON.stringify(metricName)} or ${JSON.stringify(label)}`);
        metricName = label;
      } else {
        const opTok = this.next();
        if (opTok.kind === 'op' && opTok.text === '==') this.fail(opTok, 'unexpected "=" in label matching, expected string');
        if (opTok.kind === 'eof') this.fail(opTok, 'unexpected end of input inside braces');
        if (opTok.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(opTok.text)) this.unexpected(opTok, ' in label matching, expected label matching operator');
        const vt = this.next();
        if (vt.kind !== 'string') this.unexpected(vt, ' in label matching, expected string');
        if (vt.value.startsWith(INVALID_UTF8_PREFIX)) this.fail(vt, `invalid UTF-8 in label value`);
        try {
          matchers.push(newMatcher(opTok.text as MatchType, label, vt.value));
        } catch (e) {
          this.fail(vt, (e as Error).message);
        }
      }
      if (this.isOp(',')) this.next();
      else if (!this.isOp('}')) this.unexpected(this.peek(), ' in label matching, expected "," or "}"');
    }
    const close = this.next();
    if (name !== undefined && metricName === name) {
      for (const m of matchers) {
        if (m.name === '__name__') this.failAt({ start: startTok.start, end: close.end }, `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(m.value)}`);
      }
    }
    return this.makeSelector(metricName, matchers, { start: startTok.start, end: close.end });
  }

  protected makeSelector(name: string | undefined, matchers: Matcher[], pos: { start: number; end: number }): VectorSelector {
    const all = name !== undefined ? [...matchers, newMatcher('=', '__name__', name)] : matchers;
    if (!this.relaxSelectors && !all.some((m) => !m.matches(''))) {
      throw new ParseError(pos, 'vector selector must contain at least one non-empty matcher', this.input);
    }
    return { type: 'VectorSelector', name, matchers: all, offset: undefined, at: undefined, pos };
  }
}
