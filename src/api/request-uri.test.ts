import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRequestUri } from './request-uri.js';

// Each row was posted as an alert's generatorURL to Alertmanager 0.25 (Debian's
// prometheus-alertmanager): true where it answered 200, false where it answered 422
// "generatorURL in body must be of type uri".
const AM_0_25: ReadonlyArray<[string, boolean]> = [
  ['http://x/graph?g0.expr=up', true],
  ['mailto:a@b', true],
  ['/abs/path', true],
  ['http://x/a b', true],
  ['x:', true],
  ['http:', true],
  ['http://x:99999/', true],
  ['HTTP://X', true],
  ['http://x/#frag', true],
  ['a+b-c.d:rest', true],
  ['not a url', false],
  ['://bad', false],
  ['relative/path', false],
  ['http://[::1', false],
  ['%zz', false],
  ['http://x y', false],
  ['http://x/%zz', false],
  ['1http://x', false],
];

test('generatorURL values get the verdict Alertmanager 0.25 gave them', () => {
  for (const [uri, ok] of AM_0_25) assert.equal(isRequestUri(uri), ok, uri);
});

test('hosts, ports, userinfo and escapes as Go parses a request URI', () => {
  assert.equal(isRequestUri('http://[::1]:9090/graph'), true);
  assert.equal(isRequestUri('http://[::1]x/'), false, 'junk after an IPv6 literal');
  assert.equal(isRequestUri('http://host:port/'), false, 'a port must be digits');
  assert.equal(isRequestUri('http://user:pa%20ss@host/'), true);
  assert.equal(isRequestUri('http://us{er@host/'), false);
  assert.equal(isRequestUri('http://ho%41st/'), false, 'an ASCII byte escaped in a host');
  assert.equal(isRequestUri('http://h\u00e9te/'), true, 'non-ASCII hosts are left to IDNA');
  assert.equal(isRequestUri('http://x/?q=%zz'), true, 'Go does not look into the query');
  assert.equal(isRequestUri('http://x/\u0001'), false, 'control characters');
  assert.equal(isRequestUri('*'), true);
});
