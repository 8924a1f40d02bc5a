import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineCounter, parseDocument } from 'yaml';
import { parseYamlDocument, parseYamlDocuments, TOO_DEEP_MESSAGE } from './yaml-parse.js';

// A promtool test file as teams write them: a selector broken over lines whose closing line is
// indented no deeper than its key. Go's YAML reads it; YAML 1.2 (and the `yaml` library) not.
const brokenSelector = `tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{
          job="api",
          code="200"
        }'
        values: '0+90x15'
      - series: "up{
  job=\\"db\\"}"
        values: '1'
`;

test('quoted scalars over lines at any indentation are read as Go reads them', () => {
  assert.ok(parseDocument(brokenSelector).errors.length > 0, 'the library alone refuses this file (else this test proves nothing)');
  const doc = parseYamlDocument(brokenSelector, { prettyErrors: false });
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.toJS(), {
    tests: [{ interval: '1m', input_series: [{ series: 'http_requests_total{ job="api", code="200" }', values: '0+90x15' }, { series: 'up{ job="db"}', values: '1' }] }],
  });
});

test('everything else is as strict as before: a document marker ends a quoted scalar, an unclosed quote is an error with its place', () => {
  const lc = new LineCounter();
  const marker = parseYamlDocument("a: 'one\n---\nb: 2'\n", { lineCounter: lc, prettyErrors: false });
  assert.ok(marker.errors.length > 0);
  const unclosed = parseYamlDocument("a: 'one\nb: 2\n", { lineCounter: lc, prettyErrors: false });
  assert.ok(unclosed.errors.some((e) => /Missing closing 'quote/.test(e.message)), unclosed.errors.map((e) => e.message).join('\n'));
  const dup = parseYamlDocument('a: 1\na: 2\n', { uniqueKeys: true, prettyErrors: false });
  assert.match(dup.errors[0]?.message ?? '', /Map keys must be unique/);
  assert.equal(parseYamlDocument('a: 1\n---\nb: 2\n').errors[0]?.code, 'MULTIPLE_DOCS');
  assert.deepEqual(parseYamlDocument('').toJS(), null);
});

test('every document of a stream', () => {
  const docs = parseYamlDocuments("a: 'x\n y'\n---\nb: 2\n");
  assert.deepEqual(docs.map((d) => d.toJS()), [{ a: 'x y' }, { b: 2 }]);
  assert.deepEqual(parseYamlDocuments(''), []);
});

test('a garbled line that opens thousands of block collections is an error in the document, not a stack overflow', () => {
  // Found by test/hostile/fuzz.test.ts: the library's parser recurses once per collection it
  // closes, and a line at column 0 after one that opened 20,000 closes them all at once.
  const text = `groups:\n  - rules:\n      - alert: H${'- alert: H'.repeat(20_000)}ighErrors\n"summary: x"\n`;
  assert.throws(() => parseDocument(text), RangeError, 'the library alone overflows (else this test proves nothing)');
  assert.deepEqual(parseYamlDocument(text, { prettyErrors: false }).errors.map((e) => e.message), [TOO_DEEP_MESSAGE]);
  assert.deepEqual(parseYamlDocuments(text, { prettyErrors: false }).flatMap((d) => d.errors.map((e) => e.message)), [TOO_DEEP_MESSAGE]);
});
