import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryQueryable } from '../../storage/memory.js';
import { Engine } from '../engine.js';
import { FUNCTIONS } from './index.js';

// One case per function (at least): query evaluated at T=10m over the data below, and the
// expected result as `labels=value` strings (vector, order-insensitive) or a number (scalar).
// The last test fails when a function in the table has no case here.
const T = 600_000;
const CASES: Record<string, Array<[string, string[] | number]>> = {
  rate: [['rate(c_total[5m])', ['{x="a"}=1']]],
  increase: [['increase(c_total[5m])', ['{x="a"}=300']]],
  delta: [['delta(g[5m])', ['{}=-5']]],
  irate: [['irate(c_total[5m])', ['{x="a"}=1']]],
  idelta: [['idelta(g[5m])', ['{}=-1']]],
  deriv: [['deriv(g[5m])', ['{}=-0.0166666666667']]],
  predict_linear: [['predict_linear(g[5m], 60)', ['{}=-1']]],
  avg_over_time: [['avg_over_time(g[2m])', ['{}=0.5']]],
  sum_over_time: [['sum_over_time(g[2m])', ['{}=1']]],
  count_over_time: [['count_over_time(g[2m])', ['{}=2']]],
  min_over_time: [['min_over_time(g[2m])', ['{}=0']]],
  max_over_time: [['max_over_time(g[2m])', ['{}=1']]],
  last_over_time: [['last_over_time(g[2m])', ['g=0']]],
  first_over_time: [['first_over_time(g[2m])', ['g=1']]],
  present_over_time: [['present_over_time(g[2m])', ['{}=1']]],
  stddev_over_time: [['stddev_over_time(g[2m])', ['{}=0.5']]],
  stdvar_over_time: [['stdvar_over_time(g[2m])', ['{}=0.25']]],
  quantile_over_time: [['quantile_over_time(0.5, g[3m])', ['{}=1']]],
  mad_over_time: [['mad_over_time(g[3m])', ['{}=1']]],
  ts_of_max_over_time: [['ts_of_max_over_time(g[3m])', ['{}=480']]],
  ts_of_min_over_time: [['ts_of_min_over_time(g[3m])', ['{}=600']]],
  ts_of_last_over_time: [['ts_of_last_over_time(g[3m])', ['{}=600']]],
  ts_of_first_over_time: [['ts_of_first_over_time(g[3m])', ['{}=480']]],
  changes: [['changes(g[3m])', ['{}=2']]],
  resets: [['resets(c_total[10m])', ['{x="a"}=0']]],
  double_exponential_smoothing: [['double_exponential_smoothing(g[3m], 0.5, 0.5)', ['{}=0']]],
  holt_winters: [['holt_winters(g[3m], 0.5, 0.5)', ['{}=0']]],
  abs: [['abs(g - 3)', ['{}=3']]],
  ceil: [['ceil(g + 0.2)', ['{}=1']]],
  floor: [['floor(g + 0.7)', ['{}=0']]],
  exp: [['exp(g)', ['{}=1']]],
  sqrt: [['sqrt(g + 4)', ['{}=2']]],
  ln: [['ln(g + 1)', ['{}=0']]],
  log2: [['log2(g + 8)', ['{}=3']]],
  log10: [['log10(g + 100)', ['{}=2']]],
  sgn: [['sgn(g - 2)', ['{}=-1']]],
  sin: [['sin(g)', ['{}=0']]],
  cos: [['cos(g)', ['{}=1']]],
  tan: [['tan(g)', ['{}=0']]],
  asin: [['asin(g)', ['{}=0']]],
  acos: [['acos(g + 1)', ['{}=0']]],
  atan: [['atan(g)', ['{}=0']]],
  sinh: [['sinh(g)', ['{}=0']]],
  cosh: [['cosh(g)', ['{}=1']]],
  tanh: [['tanh(g)', ['{}=0']]],
  asinh: [['asinh(g)', ['{}=0']]],
  acosh: [['acosh(g + 1)', ['{}=0']]],
  atanh: [['atanh(g)', ['{}=0']]],
  deg: [['deg(g + 3.141592653589793)', ['{}=180']]],
  rad: [['rad(g + 180)', ['{}=3.14159265359']]],
  round: [['round(c_total, 7)', ['{x="a"}=602']]],
  clamp: [['clamp(c_total, 0, 100)', ['{x="a"}=100']]],
  clamp_min: [['clamp_min(g, 5)', ['{}=5']]],
  clamp_max: [['clamp_max(c_total, 5)', ['{x="a"}=5']]],
  pi: [['pi()', Math.PI]],
  min_of: [['min_of(2, 3)', 2]],
  max_of: [['max_of(2, 3)', 3]],
  year: [['year()', ['{}=1970']]],
  month: [['month()', ['{}=1']]],
  day_of_month: [['day_of_month()', ['{}=1']]],
  day_of_week: [['day_of_week()', ['{}=4']]],
  day_of_year: [['day_of_year()', ['{}=1']]],
  hour: [['hour()', ['{}=0']]],
  minute: [['minute()', ['{}=10']]],
  days_in_month: [['days_in_month(vector(5184000))', ['{}=31']]],
  time: [['time()', 600]],
  label_replace: [['label_replace(c_total, "y", "$1-z", "x", "(.*)")', ['c_total{x="a",y="a-z"}=600']]],
  label_join: [['label_join(c_total, "y", ":", "x", "x")', ['c_total{x="a",y="a:a"}=600']]],
  sort: [['sort(c_total)', ['c_total{x="a"}=600']]],
  sort_desc: [['sort_desc(c_total)', ['c_total{x="a"}=600']]],
  sort_by_label: [['sort_by_label(c_total, "x")', ['c_total{x="a"}=600']]],
  sort_by_label_desc: [['sort_by_label_desc(c_total, "x")', ['c_total{x="a"}=600']]],
  histogram_quantile: [['histogram_quantile(0.5, h_bucket)', ['{}=1.25']]],
  histogram_quantiles: [['histogram_quantiles(h_bucket, "q", 0.5)', ['{q="0.5"}=1.25']]],
  absent: [['absent(nope{a="b"})', ['{a="b"}=1']]],
  absent_over_time: [['absent_over_time(nope{a="b"}[5m])', ['{a="b"}=1']]],
  timestamp: [['timestamp(g)', ['{}=600']]],
  start_timestamp: [['start_timestamp(with_st)', ['{}=1.5']]],
  scalar: [['scalar(g) + 1', 1]],
  vector: [['vector(2)', ['{}=2']]],
  info: [['info(c_total)', ['c_total{x="a"}=600']]],
  start: [['start()', 600]],
  end: [['end()', 600]],
  range: [['range()', 0]],
  step: [['step()', 0]],
};

/** Functions that need native histograms: they must refuse clearly. */
const REFUSED = ['histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar', 'histogram_fraction'];

function data(): MemoryQueryable {
  const s = new MemoryQueryable();
  for (let i = 0; i <= 10; i++) {
    s.add({ __name__: 'c_total', x: 'a' }, i * 60_000, i * 60);
    s.add({ __name__: 'g' }, i * 60_000, 10 - i);
  }
  // g ends 2, 1, 0 at 8m, 9m, 10m; h_bucket: 1 below 1, 2 more below 2.
  s.add({ __name__: 'with_st' }, T, 7, 1500);
  s.add({ __name__: 'h_bucket', le: '1' }, T, 1);
  s.add({ __name__: 'h_bucket', le: '2' }, T, 3);
  s.add({ __name__: 'h_bucket', le: '+Inf' }, T, 3);
  return s;
}

describe('function table', () => {
  const engine = new Engine();
  for (const [name, cases] of Object.entries(CASES)) {
    test(name, async () => {
      for (const [query, want] of cases) {
        const r = await engine.instantQuery(data(), query, T);
        if (typeof want === 'number') {
          assert.equal(r.resultType, 'scalar', query);
          if (r.resultType === 'scalar') assert.ok(Math.abs(r.result.v - want) < 1e-9, `${query}: ${r.result.v} != ${want}`);
          continue;
        }
        assert.equal(r.resultType, 'vector', query);
        if (r.resultType !== 'vector') continue;
        const got = r.result
          .map((s) => {
            const { __name__: n, ...rest } = s.labels;
            const body = Object.keys(rest).sort().map((k) => `${k}="${rest[k]}"`).join(',');
            return `${n ?? ''}{${body}}=${+s.v.toPrecision(12)}`;
          })
          .map((x) => x.replace(/^([a-z_]+)\{\}=/, '$1='))
          .sort();
        assert.deepEqual(got, [...want].sort(), query);
      }
    });
  }

  test('native-histogram functions are refused with a clear error', async () => {
    for (const name of REFUSED) {
      const q = name === 'histogram_fraction' ? 'histogram_fraction(0, 1, g)' : `${name}(g)`;
      await assert.rejects(engine.instantQuery(data(), q, T), /not supported yet/);
    }
  });

  test('every function in the table has a case here', () => {
    const missing = Object.keys(FUNCTIONS).filter((f) => !(f in CASES) && !REFUSED.includes(f));
    assert.deepEqual(missing, []);
  });
});
