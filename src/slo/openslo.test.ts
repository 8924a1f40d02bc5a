import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { rateOfCounters } from '../promql/index.js';
import { readOpenSlo } from './openslo.js';

const read = (text: string) =>
  readOpenSlo(
    parseAllDocuments(text).map((d, i) => ({ where: `slos.yaml (document ${i + 1})`, doc: d.toJS() })),
    { rateOfCounters: (q) => rateOfCounters(q) },
  );

describe('OpenSLO v1', () => {
  test('a ratio SLO over counters, with its SLI by reference and a Service', () => {
    const r = read(`
apiVersion: openslo/v1
kind: Service
metadata: {name: checkout}
spec: {description: the shop's checkout}
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: checkout-errors}
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total{job="checkout",code=~"5.."})'}}
    total:
      metricSource: {type: Prometheus, spec: {query: 'sum(http_requests_total{job="checkout"})'}}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
  labels: {team: [shop, payments], tier: "1"}
  annotations: {vigil/exclude-maintenance: "true"}
spec:
  service: checkout
  indicatorRef: checkout-errors
  timeWindow: [{duration: 28d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{displayName: Good, target: 0.999}]
  alertPolicies: [{alertPolicyRef: page-me}]
`);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, ['slos.yaml (document 3) (SLO "checkout-availability"): alertPolicies are not read: the SLO gets the multi-window burn-rate alerts (docs/slo.md)']);
    const [s] = r.slos;
    assert.deepEqual({ ...s, alerting: undefined }, {
      name: 'checkout-availability',
      service: 'checkout',
      description: 'Checkout availability: Good',
      objective: 99.9,
      window: { kind: 'rolling', ms: 28 * 86_400_000 },
      sli: { kind: 'events', totalQuery: 'sum(rate(http_requests_total{job="checkout"}[{{.window}}]))', errorQuery: 'sum(rate(http_requests_total{job="checkout", code=~"5.."}[{{.window}}]))' },
      alerting: undefined,
      labels: { team: 'shop,payments', tier: '1' },
      excludeMaintenance: true,
      source: 'slos.yaml (document 3)',
      spec: 'openslo/v1',
    });
  });

  test('Timeslices, RatioTimeslices and thresholds become time-slice SLIs; calendars and several objectives', () => {
    const r = read(`
apiVersion: openslo/v1
kind: SLO
metadata: {name: api-latency}
spec:
  service: api
  indicator:
    metadata: {name: p99}
    spec:
      thresholdMetric:
        metricSource: {spec: {query: 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[{{.window}}])))'}}
  timeWindow: [{duration: 1M, calendar: {startTime: "2026-01-01 00:00:00", timeZone: Europe/Berlin}}]
  budgetingMethod: Timeslices
  objectives: [{op: lte, value: 0.3, targetPercent: 99, timeSliceTarget: 0.95, timeSliceWindow: 5m}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: api-ratio}
spec:
  service: api
  indicator:
    spec:
      ratioMetric:
        good: {metricSource: {spec: {query: 'sum(rate(ok[{{.window}}]))'}}}
        total: {metricSource: {spec: {query: 'sum(rate(all[{{.window}}]))'}}}
  budgetingMethod: Timeslices
  objectives:
    - {displayName: Tight one, target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1}
    - {target: 0.95, timeSliceTarget: 0.8, timeSliceWindow: 2m}
`);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.slos.map((s) => [s.name, s.objective, s.window, s.sli]),
      [
        ['api-latency', 99, { kind: 'calendar', unit: 'month', count: 1, zone: 'Europe/Berlin', anchor: '2026-01-01T00:00:00' }, { kind: 'timeslices', good: '(histogram_quantile(0.99, sum by (le) (rate(h_bucket[{{.window}}])))) <= bool 0.3', sliceMs: 300_000 }],
        ['api-ratio-tight-one', 99, { kind: 'rolling', ms: 30 * 86_400_000 }, { kind: 'timeslices', good: '((sum(rate(ok[{{.window}}]))) / (sum(rate(all[{{.window}}])))) >= bool 0.9', sliceMs: 60_000 }],
        ['api-ratio-1', 95, { kind: 'rolling', ms: 30 * 86_400_000 }, { kind: 'timeslices', good: '((sum(rate(ok[{{.window}}]))) / (sum(rate(all[{{.window}}])))) >= bool 0.8', sliceMs: 120_000 }],
      ],
    );
  });

  test('every problem is named with its document, SLO and field', () => {
    const r = read(`
apiVersion: openslo/v1alpha
kind: SLO
metadata: {name: old}
---
apiVersion: openslo/v1
kind: Widget
metadata: {name: w}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: bad}
spec:
  service: api
  indicatorRef: missing
  timeWindow: [{duration: 1M, isRolling: true}]
  budgetingMethod: Sometimes
  objectives: [{target: 1.5}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: datadog}
spec:
  service: api
  indicator:
    spec:
      ratioMetric:
        counter: false
        good: {metricSource: {type: Datadog, spec: {query: 'x'}}}
        total: {metricSource: {spec: {query: 'sum(y)'}}}
  budgetingMethod: Occurrences
  objectives: [{target: 0.9}]
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: gauges}
spec:
  service: api
  indicator:
    spec:
      ratioMetric:
        counter: false
        good: {metricSource: {spec: {query: 'sum(good)'}}}
        total: {metricSource: {spec: {query: 'sum(all[{{.window}}])'}}}
  budgetingMethod: Occurrences
  objectives: [{target: 0.9}]
`);
    assert.deepEqual(r.slos, []);
    assert.deepEqual(r.errors, [
      'slos.yaml (document 1): apiVersion: expected openslo/v1, got "openslo/v1alpha" (convert v1alpha documents to v1)',
      'slos.yaml (document 2): kind: expected SLO, SLI, Service, DataSource or an alert kind, got "Widget"',
      'slos.yaml (document 3) (SLO "bad"): spec.indicatorRef: no SLI named "missing" in the SLO files',
      'slos.yaml (document 3) (SLO "bad"): spec.budgetingMethod: expected Occurrences, Timeslices or RatioTimeslices',
      'slos.yaml (document 3) (SLO "bad"): spec.timeWindow[0].duration: a rolling window must be in minutes, hours, days or weeks (1M has no fixed length)',
      'slos.yaml (document 4) (SLO "datadog"): spec.objectives[0]: spec.indicator.spec.ratioMetric.good.metricSource.type: Vigil reads Prometheus queries only, not Datadog',
      'slos.yaml (document 5) (SLO "gauges"): spec.objectives[0]: spec.indicator.spec.ratioMetric.good: a query over gauges (counter: false) must say where the range goes with {{.window}}, e.g. sum(sum_over_time(good[{{.window}}]))',
    ]);
  });
});
