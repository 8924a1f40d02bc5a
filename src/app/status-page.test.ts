import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusLinks, webhookTargetProblem } from './status-page.js';

test('public webhook subscriptions may not point at loopback, private or link-local addresses', async () => {
  for (const u of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://localhost:9797/', 'http://0.0.0.0/']) {
    assert.match((await webhookTargetProblem(new URL(u))) ?? '', /private or local address|does not resolve/, u);
  }
  assert.equal(await webhookTargetProblem(new URL('https://93.184.216.34/hook')), undefined);
});

test('status links keep the path of server.external_url', () => {
  assert.deepEqual(statusLinks('https://example.com/vigil/'), { links: { base: '/vigil/status', json: '/vigil/status.json', feed: '/vigil/status/feed.atom' }, url: 'https://example.com/vigil/status' });
  assert.equal(statusLinks('http://127.0.0.1:9797').links.base, '/status');
});
