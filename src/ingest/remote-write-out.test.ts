import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../model/clock.js';
import { isStaleNaN, staleNaN, type Sample } from '../model/sample.js';
import { remoteWriteSchema } from '../scrape/remote-write-config.js';
import { decodeWriteRequest, fromProtoLabels, type WriteRequest } from './remote-write.js';
import { RemoteWriteQueue } from './remote-write-out.js';

/** A remote-write endpoint that decodes every request and answers from a script of statuses. */
class Receiver {
  readonly received: Array<{ headers: IncomingHttpHeaders; req: WriteRequest }> = [];
  statuses: number[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.statuses.shift() ?? 204;
        if (status < 300) this.received.push({ headers: req.headers, req: decodeWriteRequest(new Uint8Array(Buffer.concat(chunks))) });
        res.writeHead(status).end(status >= 300 ? `status ${status}` : undefined);
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/api/v1/write`;
  }

  samples(): Array<{ name: string; t: number; v: number }> {
    return this.received.flatMap((r) =>
      r.req.timeseries.flatMap((ts) => ts.samples.map((s) => ({ name: fromProtoLabels(ts.labels)['__name__'] ?? '', t: s.timestamp, v: s.value }))),
    );
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

const sample = (i: number, name = 'm'): Sample => ({ labels: { __name__: name, i: String(i % 2) }, t: 1000 + i, v: i });

describe('RemoteWriteQueue against a real receiver', () => {
  const rx = new Receiver();
  before(() => rx.start());
  after(() => rx.stop());

  function queue(queueConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    rx.received.length = 0;
    rx.statuses = [];
    const clock = new FakeClock();
    const config = remoteWriteSchema.parse({ url: rx.url, queue_config: queueConfig, headers: { 'X-Scope-OrgID': 'team-a' }, ...extra });
    return { clock, q: new RemoteWriteQueue({ config, clock }) };
  }

  test('batches by size and by deadline; headers and body are remote-write 1.0', async () => {
    const { clock, q } = queue({ max_samples_per_send: 3, batch_send_deadline: '5s' }, { basic_auth: { username: 'u', password: 'p' } });
    q.push([0, 1, 2, 3, 4, 5, 6].map((i) => sample(i)));
    await q.settle();
    await q.settle();
    assert.equal(rx.received.length, 2, 'two full batches go at once');
    assert.equal(q.stats().pending, 1);
    await clock.advance(5000);
    await q.settle();
    assert.equal(rx.received.length, 3, 'the rest goes at the deadline');
    assert.deepEqual(
      rx.samples().map((s) => s.v),
      [0, 2, 1, 3, 5, 4, 6],
      'grouped per series within a batch',
    );
    const h = rx.received[0]?.headers;
    assert.equal(h?.['content-encoding'], 'snappy');
    assert.equal(h?.['content-type'], 'application/x-protobuf');
    assert.equal(h?.['x-prometheus-remote-write-version'], '0.1.0');
    assert.equal(h?.['x-scope-orgid'], 'team-a');
    assert.equal(h?.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.deepEqual(rx.received[0]?.req.timeseries[0]?.labels, [
      { name: '__name__', value: 'm' },
      { name: 'i', value: '0' },
    ]);
    assert.equal(q.stats().sent, 7);
    await q.stop();
  });

  test('retries 500 and 429 with exponential backoff, then delivers once', async () => {
    const { clock, q } = queue({ max_samples_per_send: 2, min_backoff: '100ms', max_backoff: '1s' });
    rx.statuses = [500, 429, 503];
    q.push([sample(1), sample(2)]);
    await q.settle();
    assert.equal(q.stats().retries, 1);
    assert.match(q.stats().lastError, /HTTP status 500/);
    await clock.advance(99);
    await q.settle();
    assert.equal(q.stats().retries, 1, 'not before min_backoff');
    await clock.advance(1);
    await q.settle();
    assert.equal(q.stats().retries, 2);
    await clock.advance(200); // backoff doubled
    await q.settle();
    assert.equal(q.stats().retries, 3);
    await clock.advance(400);
    await q.settle();
    assert.equal(rx.received.length, 1);
    assert.deepEqual(q.stats(), { pending: 0, sent: 2, retries: 3, dropped: {}, lastError: q.stats().lastError });
    await q.stop();
  });

  test('a 4xx drops the batch with a counted reason', async () => {
    const { q } = queue({ max_samples_per_send: 2 });
    rx.statuses = [400];
    q.push([sample(1), sample(2), sample(3), sample(4)]);
    await q.settle();
    await q.settle();
    assert.deepEqual(q.stats().dropped, { http_400: 2 });
    assert.equal(q.stats().sent, 2);
    await q.stop();
  });

  test('bounded memory drops the oldest; stop() flushes; the stale NaN survives the trip; Appendable seam', async () => {
    const { q } = queue({ capacity: 5, max_samples_per_send: 100 });
    q.push([0, 1, 2, 3, 4, 5, 6, 7].map((i) => sample(i)));
    assert.deepEqual(q.stats().dropped, { queue_full: 3 });
    const app = q.appender();
    app.append({ __name__: 'gone' }, 5000, staleNaN());
    app.append({ __name__: 'rolled_back' }, 5000, 1);
    app.rollback();
    app.append({ __name__: 'gone' }, 5000, staleNaN());
    await app.commit();
    await q.stop();
    assert.deepEqual(
      rx.samples().map((s) => s.v).slice(0, 4),
      [4, 6, 5, 7],
    );
    const gone = rx.samples().filter((s) => s.name === 'gone');
    assert.equal(gone.length, 1);
    assert.ok(isStaleNaN(gone[0]?.v as number));
    assert.equal(rx.samples().filter((s) => s.name === 'rolled_back').length, 0);
    q.push([sample(9)]);
    assert.deepEqual(q.stats().dropped, { queue_full: 4, shutdown: 1 });
  });

  test('write relabeling can drop and rewrite series', async () => {
    rx.received.length = 0;
    const clock = new FakeClock();
    const config = remoteWriteSchema.parse({ url: rx.url });
    const q = new RemoteWriteQueue({
      config,
      clock,
      relabel: (l) => (l['__name__'] === 'secret' ? undefined : { ...l, cluster: 'c1' }),
    });
    q.push([sample(1, 'secret'), sample(2, 'public')]);
    await q.stop();
    assert.equal(rx.received.length, 1);
    assert.deepEqual(fromProtoLabels(rx.received[0]?.req.timeseries[0]?.labels ?? []), { __name__: 'public', i: '0', cluster: 'c1' });
  });
});
