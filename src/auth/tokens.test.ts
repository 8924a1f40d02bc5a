import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureLimiter, TokenVerifier, isLoopback, roleAllows } from './tokens.js';

test('tokens verify by hash and name their principal', () => {
  const v = new TokenVerifier([
    { name: 'alice', role: 'responder', secret: 's3cret-alice-0123456789' },
    { name: 'ci', role: 'viewer', secret: 's3cret-ci-0123456789' },
  ]);
  assert.deepEqual(v.verify('s3cret-alice-0123456789'), { name: 'alice', role: 'responder' });
  assert.equal(v.verify('nope'), undefined);
  assert.ok(!JSON.stringify(v).includes('s3cret'), 'secrets are not held in clear');
});

test('roles nest viewer < responder < admin; ingest only ingests', () => {
  assert.ok(roleAllows('admin', 'responder'));
  assert.ok(roleAllows('responder', 'viewer'));
  assert.ok(!roleAllows('viewer', 'responder'));
  assert.ok(!roleAllows('ingest', 'viewer'));
  assert.ok(roleAllows('ingest', 'ingest'));
  assert.ok(!roleAllows('responder', 'ingest'));
});

test('failure limiter blocks after max failures until the window passes', () => {
  let now = 0;
  const l = new FailureLimiter(() => now, 3, 1000);
  l.fail('a');
  l.fail('a');
  assert.equal(l.blockedFor('a'), 0);
  l.fail('a');
  assert.equal(l.blockedFor('a'), 1000);
  assert.equal(l.blockedFor('b'), 0);
  now = 1001;
  assert.equal(l.blockedFor('a'), 0);
});

test('while a client is blocked, tokens it already used keep working; new ones wait like guesses', () => {
  let now = 0;
  const l = new FailureLimiter(() => now, 3, 1000, 10_000, 5000);
  l.succeed('a', 'grafana');
  for (let i = 0; i < 3; i++) l.fail('a');
  assert.equal(l.blockedFor('a'), 1000, 'an unknown token (or a guess) is blocked');
  assert.equal(l.blockedFor('a', 'alice'), 1000, 'a valid token never seen from here is blocked too: a block is no oracle');
  assert.equal(l.blockedFor('a', 'grafana'), 0, 'a token proven from here passes');
  assert.equal(l.blockedFor('b', 'grafana'), 0);
  now = 5001;
  for (let i = 0; i < 3; i++) l.fail('a');
  assert.ok(l.blockedFor('a', 'grafana') > 0, 'trust lapses after trustMs without a success');
});

test('loopback detection', () => {
  for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '10.0.0.1', '::', 'example.com']) assert.ok(!isLoopback(h), h);
});
