import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpr, parseExpr } from '../promql/index.js';
import { validateGroups } from '../rules/index.js';
import { compileSlos } from './compile.js';
import { slosFromConfig, slosConfigSchema } from './config.js';

const parse = (t: string) => formatExpr(parseExpr(t));

const availability = slosConfigSchema.parse([
  {
    name: 'shop-api-availability',
    service: 'shop-api',
    objective: 99.9,
    window: '30d',
    sli: {
      events: {
        error_query: 'sum(rate(http_requests_total{job="shop-api",code=~"5.."}[{{.window}}]))',
        total_query: 'sum(rate(http_requests_total{job="shop-api"}[{{.window}}]))',
      },
    },
    alerting: { page: { labels: { severity: 'critical' } }, ticket: { labels: { severity: 'medium' } } },
  },
]);

describe('generated rules', () => {
  const { slos, errors } = compileSlos(slosFromConfig(availability), parse, { version: '0.1.0' });
  const [slo] = slos;
  assert.deepEqual(errors, []);
  assert.ok(slo);

  test("are Sloth's: SLI recordings per window, meta recordings, page and ticket alerts", () => {
    assert.deepEqual(
      slo.groups.map((g) => [g.name, g.file, g.rules.length]),
      [
        ['sloth-slo-sli-recordings-shop-api-availability', 'slo/shop-api-availability', 8],
        ['sloth-slo-meta-recordings-shop-api-availability', 'slo/shop-api-availability', 7],
        ['sloth-slo-alerts-shop-api-availability', 'slo/shop-api-availability', 2],
      ],
    );
    const [sli, meta, alerts] = slo.groups as [(typeof slo.groups)[0], (typeof slo.groups)[0], (typeof slo.groups)[0]];
    assert.deepEqual(
      sli.rules.map((r) => r.record),
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`),
    );
    assert.equal(
      sli.rules[0]?.expr,
      '(sum(rate(http_requests_total{job="shop-api",code=~"5.."}[5m])))\n/\n(sum(rate(http_requests_total{job="shop-api"}[5m])))\n',
    );
    assert.deepEqual(sli.rules[0]?.labels, { sloth_id: 'shop-api-availability', sloth_service: 'shop-api', sloth_slo: 'shop-api-availability', sloth_window: '5m' });
    assert.equal(
      sli.rules[7]?.expr,
      'sum_over_time(slo:sli_error:ratio_rate5m{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}[30d])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}[30d])\n',
    );
    assert.deepEqual(
      meta.rules.map((r) => [r.record, r.expr.split('\n')[0]]),
      [
        ['slo:objective:ratio', 'vector(0.999)'],
        ['slo:error_budget:ratio', 'vector(0.001)'],
        ['slo:current_burn_rate:ratio', 'slo:sli_error:ratio_rate5m{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}'],
        ['slo:time_period:days', 'vector(30)'],
        ['slo:period_burn_rate:ratio', 'slo:sli_error:ratio_rate30d{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}'],
        ['slo:period_error_budget_remaining:ratio', '1 - slo:period_burn_rate:ratio{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}'],
        ['sloth_slo_info', 'vector(1)'],
      ],
    );
    const f = '{sloth_id="shop-api-availability", sloth_service="shop-api", sloth_slo="shop-api-availability"}';
    const clause = (short: string, long: string, factor: string) =>
      `(\n    max(slo:sli_error:ratio_rate${short}${f} > (${factor} * 0.001)) without (sloth_window)\n    and\n    max(slo:sli_error:ratio_rate${long}${f} > (${factor} * 0.001)) without (sloth_window)\n)`;
    assert.deepEqual(
      alerts.rules.map((r) => [r.alert, r.expr, r.labels]),
      [
        ['ErrorBudgetBurn', `${clause('5m', '1h', '14.4')}\nor\n${clause('30m', '6h', '6')}\n`, { sloth_severity: 'page', service: 'shop-api', slo: 'shop-api-availability', severity: 'critical' }],
        ['ErrorBudgetBurn', `${clause('2h', '1d', '3')}\nor\n${clause('6h', '3d', '1')}\n`, { sloth_severity: 'ticket', service: 'shop-api', slo: 'shop-api-availability', severity: 'medium' }],
      ],
    );
  });

  test('pass the rule engine\'s validation (rulefmt, PromQL, templates)', () => {
    assert.deepEqual(validateGroups(slo.groups, parse), []);
  });

  test('a calendar SLO has no whole-window rules; disabled alerts are left out; severities default', () => {
    const cal = slosConfigSchema.parse([
      { name: 'probe', service: 's', objective: 99.5, calendar: 'month', sli: { check: 'health' }, alerting: { ticket: { disable: true }, page: { labels: { team: 'a' } } } },
    ]);
    const [c] = compileSlos(slosFromConfig(cal), parse, { version: 'x' }).slos;
    assert.ok(c);
    assert.equal(c.groups[0]?.rules.length, 7);
    assert.deepEqual(
      c.groups[1]?.rules.map((r) => r.record),
      ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:current_burn_rate:ratio', 'sloth_slo_info'],
    );
    assert.deepEqual(c.groups[2]?.rules.map((r) => r.labels?.['severity']), ['critical']);
    assert.equal(c.groups[0]?.rules[0]?.expr, '1 - (\nsum(sum_over_time(probe_success{check="health"}[5m]))\n/\nsum(count_over_time(probe_success{check="health"}[5m]))\n)\n');
    assert.deepEqual(validateGroups(c.groups, parse), []);
  });

  test('problems name the SLO, its source and the field', () => {
    const bad = slosFromConfig(
      slosConfigSchema.parse([
        { name: 'a', service: 's', objective: 99, sli: { events: { error_query: 'sum(rate(x[5m]))', total_query: 'sum(rate(y[{{.window}}])' } } },
        { name: 'b', service: 's', objective: 99, sli: { events: { good_query: 'rate(x{{.window}})', total_query: 'y[{{ .window }}] {{.other}}' } } },
        { name: 'c', service: 's', objective: 99, sli: { latency: { metric: 'h', selector: 'job="x"', threshold: 0.5 } } },
      ]),
    );
    const r = compileSlos([...bad, bad[0] as (typeof bad)[0]], parse, { version: 'x' });
    assert.equal(r.slos.length, 0);
    assert.equal(r.errors.length, 6, r.errors.join("\n---"));
    assert.match(r.errors[0] as string, /^vigil\.yml: SLO "a": sli\.events\.total_query: not valid PromQL: /);
    assert.match(r.errors[1] as string, /^vigil\.yml: SLO "a": sli\.events\.error_query: must contain \{\{\.window\}\}/);
    assert.match(r.errors[2] as string, /^vigil\.yml: SLO "b": sli\.events\.total_query: only \{\{\.window\}\} may be used in a query template, found \{\{\.other\}\}/);
    assert.match(r.errors[3] as string, /^vigil\.yml: SLO "b": sli\.events\.good_query: not valid PromQL/);
    assert.match(r.errors[4] as string, /^vigil\.yml: SLO "c": sli\.latency\.selector: expected label matchers in braces/);
    assert.match(r.errors[5] as string, /^vigil\.yml: SLO "a": the name is already used by the SLO in vigil\.yml/);
  });
});
