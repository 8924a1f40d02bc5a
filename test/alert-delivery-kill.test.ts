// A group's notification is handed to delivery before its outbox jobs and notification-log
// entry are committed (so it does not wait behind the history's writes). A SIGKILL while the
// receiver has it but has not answered must not lose it: after a restart it arrives again,
// whether the kill fell before the commit (the restored alert is flushed anew) or after it
// (the job is still pending).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './helpers/services.js';
import { startServer } from './helpers/vigil-process.js';

/** A webhook that holds every request unanswered until `answer` is set; `got` resolves on each arrival. */
async function holdingReceiver() {
  const bodies: Array<{ alerts: Array<{ labels: Record<string, string> }> }> = [];
  const held: ServerResponse[] = [];
  let answer = false;
  let arrived: () => void = () => {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(data) as (typeof bodies)[number]);
      if (answer) res.writeHead(200).end('ok');
      else held.push(res);
      arrived();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    /** Resolves once `n` requests have arrived, or rejects after `ms`. */
    async arrivals(n: number, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (bodies.length < n) {
        if (Date.now() > deadline) throw new Error(`webhook: ${bodies.length} of ${n} requests within ${ms} ms`);
        await new Promise<void>((r) => {
          arrived = r;
          setTimeout(r, 200);
        });
      }
    },
    answerFromNowOn(): void {
      answer = true;
      for (const res of held.splice(0)) res.destroy();
    },
    async close(): Promise<void> {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

test('a notification being delivered when the server is SIGKILLed (before or after its commit) arrives again after the restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-deliver-kill-'));
  const hook = await holdingReceiver();
  // persist_interval 0s: an accepted POST is durable before its answer, so only the notification is in question.
  writeFileSync(
    join(dir, 'vigil.yml'),
    `alerts:\n  persist_interval: 0s\nroute:\n  receiver: team\n  group_by: [alertname]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\nreceivers:\n  - name: team\n    webhook_configs:\n      - url: ${hook.url}\n`,
  );
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  const port = await freePort();
  let server = await startServer(args, port);
  try {
    const alerts = Array.from({ length: 20 }, (_, i) => ({ labels: { alertname: 'DiskFull', instance: `host-${i}` }, annotations: { summary: `disk ${i}` } }));
    const r = await fetch(`${server.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    assert.equal(r.status, 200, await r.text());
    // The receiver has the notification and has not answered: kill now.
    await hook.arrivals(1);
    assert.equal(await server.stop('SIGKILL'), null);
    const before = hook.bodies.length;
    hook.answerFromNowOn();
    server = await startServer(args, port);
    await hook.arrivals(before + 1);
    const again = hook.bodies.at(-1);
    assert.deepEqual(again?.alerts.map((a) => a.labels['instance']).sort(), alerts.map((a) => a.labels.instance).sort(), 'every alert of the group is delivered again');
  } finally {
    await server.stop('SIGKILL');
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
