import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTemplate, relabel, relabelConfigsSchema, type RelabelConfigInput } from './relabel.js';
import { scrapeConfigsSchema } from './config.js';
import { buildTargets } from './target.js';
import { remoteWriteSchema } from './remote-write-config.js';

const rl = (labels: Record<string, string>, cfgs: RelabelConfigInput[]) => relabel(labels, relabelConfigsSchema.parse(cfgs));

describe('relabel', () => {
  test('replace with defaults copies the joined source value; $1, ${1} and named groups expand', () => {
    assert.deepEqual(rl({ a: 'foo', b: 'bar' }, [{ source_labels: ['a', 'b'], target_label: 'c' }]), { a: 'foo', b: 'bar', c: 'foo;bar' });
    assert.deepEqual(
      rl({ a: 'foo-bar' }, [{ source_labels: ['a'], regex: '(\\w+)-(?P<second>\\w+)', target_label: 'x_${1}', replacement: '${second}:$1$$' }]),
      { a: 'foo-bar', x_foo: 'bar:foo$' },
    );
    // No match: unchanged. Anchored: "oo" does not match "foo".
    assert.deepEqual(rl({ a: 'foo' }, [{ source_labels: ['a'], regex: 'oo', target_label: 'b' }]), { a: 'foo' });
    // Empty replacement result deletes the target.
    assert.deepEqual(rl({ a: 'foo', b: 'x' }, [{ source_labels: ['a'], regex: 'foo', target_label: 'b', replacement: '' }]), { a: 'foo' });
    // Invalid expanded target name: no change.
    assert.deepEqual(rl({ a: '1x' }, [{ source_labels: ['a'], target_label: '$1' }]), { a: '1x' });
  });

  test('Go template expansion: $1x names group "1x" (empty)', () => {
    const g = (r: string) => ({ '1': 'one', name: 'N' })[r] ?? '';
    assert.equal(expandTemplate('$1x|${1}x|$name|$$|$', g), '|onex|N|$|$');
  });

  test('keep, drop, keepequal, dropequal', () => {
    const l = { __name__: 'up', job: 'a', other: 'a' };
    assert.deepEqual(rl(l, [{ source_labels: ['job'], regex: 'a|b', action: 'keep' }]), l);
    assert.equal(rl(l, [{ source_labels: ['job'], regex: 'b', action: 'keep' }]), undefined);
    assert.equal(rl(l, [{ source_labels: ['__name__'], regex: 'u.', action: 'drop' }]), undefined);
    assert.deepEqual(rl(l, [{ source_labels: ['__name__'], regex: 'u', action: 'drop' }]), l);
    assert.deepEqual(rl(l, [{ source_labels: ['job'], target_label: 'other', action: 'keepequal' }]), l);
    assert.equal(rl(l, [{ source_labels: ['job'], target_label: 'other', action: 'dropequal' }]), undefined);
    // A missing source label is the empty string.
    assert.equal(rl(l, [{ source_labels: ['missing'], regex: '.+', action: 'keep' }]), undefined);
  });

  test('labeldrop, labelkeep, labelmap, lowercase, hashmod', () => {
    const l = { __name__: 'm', __meta_x_team: 'db', tmp_a: '1', keep: 'y' };
    assert.deepEqual(rl(l, [{ regex: 'tmp_.*', action: 'labeldrop' }]), { __name__: 'm', __meta_x_team: 'db', keep: 'y' });
    assert.deepEqual(rl(l, [{ regex: '__name__|keep', action: 'labelkeep' }]), { __name__: 'm', keep: 'y' });
    assert.deepEqual(rl(l, [{ regex: '__meta_x_(.+)', action: 'labelmap' }]), { ...l, team: 'db' });
    assert.deepEqual(rl({ a: 'MiXeD' }, [{ source_labels: ['a'], target_label: 'b', action: 'lowercase' }]), { a: 'MiXeD', b: 'mixed' });
    // Prometheus's own test vector: hashmod of "baz" modulo 1000 is 976.
    assert.deepEqual(rl({ c: 'baz' }, [{ source_labels: ['c'], target_label: 'd', modulus: 1000, action: 'hashmod' }]), { c: 'baz', d: '976' });
  });

  test('invalid configs are rejected with a reason', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ action: 'replace', source_labels: ['a'] }, /requires target_label/],
      [{ action: 'hashmod', source_labels: ['a'], target_label: 'b' }, /requires a modulus/],
      [{ action: 'labeldrop', regex: 'x', target_label: 'y' }, /requires only regex/],
      [{ action: 'keep', regex: '(' }, /invalid regular expression/],
      [{ action: 'explode' }, /action must be one of/],
      [{ action: 'replace', target_label: '0bad' }, /invalid target_label/],
      [{ action: 'keep', sourcelabels: ['a'] }, /sourcelabels/],
    ];
    for (const [cfg, re] of bad) {
      const r = relabelConfigsSchema.safeParse([cfg]);
      assert.equal(r.success, false, JSON.stringify(cfg));
      assert.match(JSON.stringify(r.error?.issues), re, JSON.stringify(cfg));
    }
  });
});

describe('scrape config', () => {
  test('defaults and targets with relabel_configs', () => {
    const [cfg] = scrapeConfigsSchema.parse([
      {
        job_name: 'node',
        params: { module: ['a', 'b'] },
        static_configs: [{ targets: ['h1:9100', 'h2:9100'], labels: { env: 'prod' } }],
        relabel_configs: [
          { source_labels: ['__address__'], regex: 'h2:.*', action: 'drop' },
          { source_labels: ['__address__'], regex: '([^:]+):.*', target_label: 'host' },
        ],
      },
    ]);
    assert.ok(cfg);
    assert.equal(cfg.scrape_interval, 60_000);
    assert.equal(cfg.scrape_timeout, 10_000);
    assert.equal(cfg.metrics_path, '/metrics');
    assert.equal(cfg.scheme, 'http');
    const targets = buildTargets(cfg);
    assert.equal(targets.length, 1);
    assert.equal(targets[0]?.url, 'http://h1:9100/metrics?module=a&module=b');
    assert.deepEqual(targets[0]?.labels, { env: 'prod', job: 'node', instance: 'h1:9100', host: 'h1' });
  });

  test('timeout defaults to the interval when shorter than 10s', () => {
    const [cfg] = scrapeConfigsSchema.parse([{ job_name: 'x', scrape_interval: '5s' }]);
    assert.equal(cfg?.scrape_timeout, 5000);
  });

  test('errors: duplicate job, unknown key, timeout > interval, two auth methods, bad target', () => {
    const r = scrapeConfigsSchema.safeParse([
      { job_name: 'a' },
      { job_name: 'a', scrape_interval: '5s', scrape_timeout: '10s' },
      { job_name: 'b', sample_limit: 5 },
      { job_name: 'c', bearer_token: 'x', basic_auth: { username: 'u' } },
      { job_name: 'd', static_configs: [{ targets: ['http://x/metrics'] }] },
    ]);
    assert.equal(r.success, false);
    const msgs = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    assert.ok(msgs.some((m) => m.startsWith('1.job_name: found multiple scrape configs with job name "a"')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('1.scrape_timeout: scrape timeout greater than scrape interval')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('2: ') && m.includes('sample_limit')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.includes('at most one of bearer_token, basic_auth')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('4.static_configs.0.targets.0: expected a target like host:port')), msgs.join('\n'));
  });

  test('remote_write schema: defaults and reserved headers', () => {
    const c = remoteWriteSchema.parse({ url: 'http://127.0.0.1:9090/api/v1/write' });
    assert.deepEqual(c.queue_config, { capacity: 10_000, max_samples_per_send: 2000, batch_send_deadline: 5000, min_backoff: 30, max_backoff: 5000 });
    assert.equal(c.remote_timeout, 30_000);
    const bad = remoteWriteSchema.safeParse({ url: 'ftp://x', headers: { 'Content-Type': 'x' }, queue_config: { capacity: 0 } });
    assert.equal(bad.success, false);
    const text = JSON.stringify(bad.error?.issues);
    assert.match(text, /url must be an http\(s\) URL/);
    assert.match(text, /Content-Type is a reserved header/);
    assert.match(text, /capacity/);
  });
});
