import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SessionCodec } from './session.js';
import { TokenVerifier, isLoopbackHostHeader } from './tokens.js';

test('a session cookie reads back until it expires, and not at all once tampered with', () => {
  const codec = new SessionCodec(randomBytes(32), 3600_000);
  const { session, cookie } = codec.issue({ name: 'alice', fingerprint: 'fp' }, 1000);
  assert.deepEqual(codec.read(cookie, 2000), session);
  assert.equal(codec.read(cookie, 1000 + 3600_000), undefined, 'expired');
  const [body, mac] = cookie.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ s: session.id, n: 'root', f: 'fp', i: 1000, e: 9e15 })).toString('base64url');
  assert.equal(codec.read(`${forged}.${mac}`, 2000), undefined, 'another body with the same MAC');
  assert.equal(codec.read(`${body}.${mac.slice(1)}x`, 2000), undefined);
  assert.equal(codec.read('garbage', 2000), undefined);
  assert.equal(new SessionCodec(randomBytes(32)).read(cookie, 2000), undefined, 'another key');
});

test('renewal keeps the session id, so its CSRF token stays valid', () => {
  const codec = new SessionCodec(randomBytes(32));
  const first = codec.issue({ name: 'alice', fingerprint: 'fp' }, 0);
  const renewed = codec.issue({ name: 'alice', fingerprint: 'fp' }, 5000, first.session);
  assert.equal(renewed.session.id, first.session.id);
  assert.ok(renewed.session.expiresAt > first.session.expiresAt);
  const csrf = codec.csrfToken(first.session.id);
  assert.ok(codec.csrfValid(renewed.session.id, csrf));
  assert.ok(!codec.csrfValid(renewed.session.id, undefined));
  assert.ok(!codec.csrfValid(codec.issue({ name: 'alice', fingerprint: 'fp' }, 0).session.id, csrf), 'another sign-in, another token');
});

test('a changed token secret ends the sessions signed in with the old one', () => {
  const before = new TokenVerifier([{ name: 'alice', role: 'responder', secret: 'first-secret-0123456789' }]);
  const fp = before.fingerprint('alice');
  assert.ok(fp);
  assert.deepEqual(before.byFingerprint('alice', fp), { name: 'alice', role: 'responder' });
  const after = new TokenVerifier([{ name: 'alice', role: 'responder', secret: 'second-secret-0123456789' }]);
  assert.equal(after.byFingerprint('alice', fp), undefined);
  assert.equal(after.byFingerprint('bob', fp), undefined);
});

test('loopback Host headers', () => {
  for (const h of ['127.0.0.1:9797', 'localhost', 'LOCALHOST:80', '[::1]:9797', 'vigil.localhost:9797', '127.1.2.3']) assert.ok(isLoopbackHostHeader(h), h);
  for (const h of ['evil.example:9797', '10.0.0.1', 'localhost.evil.example', '', '[::2]:1']) assert.ok(!isLoopbackHostHeader(h), h);
});
