import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { FakeClock } from '../model/clock.js';
import { scrapeConfigsSchema } from './config.js';
import { ScrapeManager } from './manager.js';
import { RecordingAppendable } from './testing.js';

const BIN = '/usr/bin/prometheus-node-exporter';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${ms}ms: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('scrapes the real prometheus-node-exporter', { skip: existsSync(BIN) ? false : `${BIN} is not installed (CI installs it)` }, async () => {
  const port = await freePort();
  const child = spawn(BIN, [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.cpu', '--collector.meminfo', '--collector.loadavg'], {
    stdio: 'ignore',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, 10_000);
    const clock = new FakeClock();
    const appendable = new RecordingAppendable();
    const configs = scrapeConfigsSchema.parse([{ job_name: 'node', scrape_interval: '15s', static_configs: [{ targets: [`127.0.0.1:${port}`] }] }]);
    const manager = new ScrapeManager({ appendable, clock, configs });
    manager.start();
    for (let i = 0; i < 15; i++) {
      await clock.advance(1000);
      await manager.settle();
    }
    const [status] = manager.targets();
    assert.equal(status?.lastError, '');
    assert.equal(status?.health, 'up');
    const instance = `127.0.0.1:${port}`;
    assert.equal(appendable.last({ __name__: 'up', job: 'node', instance })?.v, 1);
    assert.ok(appendable.find({ __name__: 'node_load1', job: 'node', instance }).length === 1);
    assert.ok((appendable.find({ __name__: 'node_memory_MemTotal_bytes' })[0]?.v ?? 0) > 0);
    const scraped = appendable.last({ __name__: 'scrape_samples_scraped', job: 'node', instance })?.v ?? 0;
    assert.ok(scraped > 20, `scraped ${scraped} samples`);
    await manager.stop();
  } finally {
    child.kill('SIGTERM');
  }
});
