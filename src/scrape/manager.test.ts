import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FakeClock } from '../model/clock.js';
import { scrapeConfigsSchema, type ScrapeConfigInput } from './config.js';
import { ScrapeManager } from './manager.js';
import { RecordingAppendable } from './testing.js';

/** A /metrics server backed by a prom-client registry; `override` replaces the body. */
class MetricsServer {
  readonly registry = new Registry();
  readonly requests: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  override: { body: string; contentType: string } | undefined;
  hang = false;
  status = 200;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push({ url: req.url ?? '', headers: req.headers });
      if (this.hang) return; // never answers: the scrape must time out
      if (!req.url?.startsWith('/metrics')) {
        res.writeHead(404).end('not found');
        return;
      }
      const send = (body: string, contentType: string) => res.writeHead(this.status, { 'Content-Type': contentType }).end(body);
      if (this.override) send(this.override.body, this.override.contentType);
      else void this.registry.metrics().then((b) => send(b, this.registry.contentType));
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.port = (this.server?.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

function setup(srv: MetricsServer, extra: Partial<ScrapeConfigInput> = {}) {
  const clock = new FakeClock();
  const appendable = new RecordingAppendable();
  const configs = scrapeConfigsSchema.parse([
    {
      job_name: 'app',
      scrape_interval: '10s',
      scrape_timeout: '2s',
      static_configs: [{ targets: [`127.0.0.1:${srv.port}`], labels: { env: 'test' } }],
      ...extra,
    },
  ]);
  const manager = new ScrapeManager({ appendable, clock, configs });
  // Real HTTP needs real time to answer: step the fake clock in pieces shorter than the
  // scrape timeout and let each scrape finish before its timeout could fire.
  const tick = async () => {
    for (let i = 0; i < 10; i++) {
      await clock.advance(1_000);
      await manager.settle();
    }
  };
  return { clock, appendable, manager, tick, instance: `127.0.0.1:${srv.port}` };
}

describe('ScrapeManager against a real /metrics server', () => {
  const srv = new MetricsServer();
  before(() => srv.start());
  after(() => srv.stop());

  test('scrapes prom-client output: series, up, scrape_* series, auth and Accept headers, staleness, failures', async () => {
    srv.registry.clear();
    srv.override = undefined;
    srv.hang = false;
    const requests = new Counter({ name: 'http_requests_total', help: 'reqs', labelNames: ['code', 'job'], registers: [srv.registry] });
    const temp = new Gauge({ name: 'temperature', help: 't', registers: [srv.registry] });
    const hist = new Histogram({ name: 'latency_seconds', help: 'l', buckets: [0.1, 1], registers: [srv.registry] });
    requests.inc({ code: '200', job: 'exposed-job' }, 5);
    temp.set(21.5);
    hist.observe(0.5);
    const { appendable, manager, tick, instance } = setup(srv, { authorization: { credentials: 's3cret' }, params: { x: ['1'] } });
    manager.start();
    assert.equal(manager.targets()[0]?.health, 'unknown');
    await tick();

    const target = { job: 'app', instance, env: 'test' };
    const up = appendable.last({ __name__: 'up', ...target });
    assert.equal(up?.v, 1, manager.targets()[0]?.lastError);
    const ts = up?.t as number;
    // honor_labels false: the exposed job label survives as exported_job.
    const req = appendable.last({ __name__: 'http_requests_total', code: '200', exported_job: 'exposed-job', ...target });
    assert.equal(req?.v, 5);
    assert.equal(req?.t, ts);
    assert.equal(appendable.last({ __name__: 'temperature', ...target })?.v, 21.5);
    assert.equal(appendable.last({ __name__: 'latency_seconds_bucket', le: '1', ...target })?.v, 1);
    assert.equal(appendable.last({ __name__: 'latency_seconds_count', ...target })?.v, 1);
    // 1 counter + 1 gauge + 4 buckets/sum/count... (le 0.1, 1, +Inf, sum, count)
    assert.equal(appendable.last({ __name__: 'scrape_samples_scraped', ...target })?.v, 7);
    assert.equal(appendable.last({ __name__: 'scrape_samples_post_metric_relabeling', ...target })?.v, 7);
    assert.equal(appendable.last({ __name__: 'scrape_series_added', ...target })?.v, 7);
    assert.ok(appendable.last({ __name__: 'scrape_duration_seconds', ...target }));

    const sent = srv.requests.at(-1);
    assert.equal(sent?.url, '/metrics?x=1');
    assert.equal(sent?.headers.authorization, 'Bearer s3cret');
    assert.match(String(sent?.headers.accept), /^application\/openmetrics-text;version=1\.0\.0,.*text\/plain;version=0\.0\.4;q=0\.5/);
    assert.equal(sent?.headers['x-prometheus-scrape-timeout-seconds'], '2');

    const [status] = manager.targets();
    assert.equal(status?.health, 'up');
    assert.equal(status?.lastError, '');
    assert.equal(status?.lastScrape, ts);
    assert.deepEqual(status?.labels, target);

    // The gauge disappears: it gets a stale marker at the next scrape's timestamp.
    srv.registry.removeSingleMetric('temperature');
    await tick();
    const stale = appendable.last({ __name__: 'temperature', ...target });
    assert.equal(stale?.stale, true);
    assert.equal(stale?.t, ts + 10_000);
    assert.equal(appendable.last({ __name__: 'scrape_series_added', ...target })?.v, 0);
    assert.equal(appendable.find({ __name__: 'temperature' }).length, 2, 'stale marker written once only');

    // A malformed exposition fails the scrape: up=0, lastError names the line, every series goes stale.
    srv.override = { body: '# TYPE a gauge\na 1\nb abc\n', contentType: 'text/plain; version=0.0.4' };
    await tick();
    assert.equal(appendable.last({ __name__: 'up', ...target })?.v, 0);
    assert.equal(manager.targets()[0]?.lastError, 'line 3: expected a float value, got "abc"');
    assert.equal(manager.targets()[0]?.health, 'down');
    assert.equal(appendable.last({ __name__: 'http_requests_total', code: '200', exported_job: 'exposed-job', ...target })?.stale, true);
    assert.equal(appendable.last({ __name__: 'a', ...target }), undefined, 'nothing of a failed scrape is kept');
    assert.equal(appendable.last({ __name__: 'scrape_samples_scraped', ...target })?.v, 0);

    // HTTP errors also fail the scrape, and up=0 keeps being written.
    srv.override = undefined;
    srv.status = 500;
    await tick();
    assert.equal(appendable.last({ __name__: 'up', ...target })?.v, 0);
    assert.equal(appendable.last({ __name__: 'up', ...target })?.t, ts + 30_000);
    assert.equal(manager.targets()[0]?.lastError, 'server returned HTTP status 500 Internal Server Error');
    srv.status = 200;
    await tick();
    assert.equal(appendable.last({ __name__: 'up', ...target })?.v, 1);
    await manager.stop();
    assert.equal(appendable.last({ __name__: 'up', ...target })?.stale, true, 'a stopped target marks its report series stale');
  });

  test('OpenMetrics response, explicit timestamps, metric_relabel_configs and honor_labels', async () => {
    srv.override = {
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      body: '# TYPE c counter\nc_total{job="mine"} 3 1700000000.5\nc_created{job="mine"} 1600000000\ndrop_me 1\n# EOF\n',
    };
    const { appendable, manager, tick, instance } = setup(srv, {
      honor_labels: true,
      metric_relabel_configs: [{ source_labels: ['__name__'], regex: 'drop_me', action: 'drop' }],
    });
    manager.start();
    await tick();
    const c = appendable.last({ __name__: 'c_total', job: 'mine', instance, env: 'test' });
    assert.equal(c?.v, 3);
    assert.equal(c?.t, 1_700_000_000_500);
    assert.ok(appendable.last({ __name__: 'c_created', job: 'mine', instance, env: 'test' }));
    assert.equal(appendable.find({ __name__: 'drop_me' }).length, 0);
    const report = { job: 'app', instance, env: 'test' };
    assert.equal(appendable.last({ __name__: 'scrape_samples_scraped', ...report })?.v, 3);
    assert.equal(appendable.last({ __name__: 'scrape_samples_post_metric_relabeling', ...report })?.v, 2);
    await manager.stop();
    // Series with explicit timestamps are not tracked for staleness.
    assert.equal(appendable.find({ __name__: 'c_total' }).length, 1);
  });

  test('a store that refuses samples: counted per reason, the scrape still succeeds', async () => {
    srv.override = { contentType: 'text/plain', body: 'a 1\nb 2\n' };
    const { appendable, manager, tick } = setup(srv);
    appendable.reject = (l) => (l['__name__'] === 'b' ? Object.assign(new Error('out of order sample'), { name: 'OutOfOrderError' }) : undefined);
    manager.start();
    await tick();
    const [status] = manager.targets();
    assert.equal(status?.health, 'up');
    assert.deepEqual(status?.rejectedSamples, { OutOfOrderError: 1 });
    assert.equal(appendable.find({ __name__: 'a' }).length, 1);
    await manager.stop();
  });

  test('label limits: a series over them fails the scrape as in Prometheus; a job can set its own or none', async () => {
    srv.override = { contentType: 'text/plain', body: `ok 1\nlong{path="${'p'.repeat(3000)}"} 1\n` };
    const { appendable, manager, tick } = setup(srv);
    manager.start();
    await tick();
    const [status] = manager.targets();
    assert.equal(status?.health, 'down');
    assert.match(status?.lastError ?? '', /^series \{__name__="long", env="test", instance="127\.0\.0\.1:\d+", job="app", path="p{64}…\(3,000 bytes\)"\}: the value of label "path" is 3,000 bytes long, longer than the limit of 2,048 \(label_value_length_limit\)$/);
    assert.equal(appendable.find({ __name__: 'ok' }).length, 0, 'nothing of the failed scrape is stored');
    assert.equal(appendable.find({ __name__: 'up' })[0]?.v, 0);
    await manager.stop();
    const own = setup(srv, { label_value_length_limit: 0, label_limit: 5 });
    own.manager.start();
    await own.tick();
    assert.equal(own.manager.targets()[0]?.health, 'up', own.manager.targets()[0]?.lastError);
    assert.equal(own.appendable.find({ __name__: 'long' }).length, 1);
    await own.manager.stop();
    const few = setup(srv, { label_limit: 4 });
    few.manager.start();
    await few.tick();
    assert.match(few.manager.targets()[0]?.lastError ?? '', /5 labels, more than the limit of 4 \(label_limit\)/);
    await few.manager.stop();
  });

  test('timeouts abort the request (driven by the injected clock); update() replaces targets', { timeout: 30_000 }, async () => {
    srv.override = undefined;
    srv.hang = true;
    const { appendable, manager, clock, instance } = setup(srv);
    manager.start();
    // Step the fake clock until the hung scrape has timed out: under load the scrape may
    // reach its timer a little later in fake time, so do not assume a fixed number of steps.
    for (let i = 0; i < 60 && !manager.targets()[0]?.lastError; i++) {
      await clock.advance(500);
      if (i % 4 === 3) await Promise.race([manager.settle(), new Promise((r) => setTimeout(r, 200))]);
    }
    await manager.settle();
    const [status] = manager.targets();
    assert.equal(status?.lastError, 'scrape timed out after 2s');
    assert.equal(appendable.last({ __name__: 'up', job: 'app', instance, env: 'test' })?.v, 0);
    srv.hang = false;
    await manager.update(scrapeConfigsSchema.parse([{ job_name: 'other', static_configs: [{ targets: ['127.0.0.1:1'] }] }]));
    assert.deepEqual(
      manager.targets().map((t) => t.job),
      ['other'],
    );
    assert.equal(appendable.last({ __name__: 'up', job: 'app', instance, env: 'test' })?.stale, true);
    await manager.stop();
  });
});
