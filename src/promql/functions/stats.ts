/** Neumaier-compensated summation step, as Prometheus's kahanSumInc. Returns [sum, compensation]. */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

export function kahanSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) [sum, c] = kahanSumInc(v, sum, c);
  return Number.isFinite(sum) ? sum + c : sum;
}

/** Mean with Kahan summation that falls back to an incremental mean when the sum overflows. */
export class MeanAccumulator {
  private sum = 0;
  private c = 0;
  private mean = 0;
  private count = 0;
  private incremental = false;

  add(f: number): void {
    this.count++;
    if (!this.incremental) {
      const [ns, nc] = kahanSumInc(f, this.sum, this.c);
      if (this.count === 1 || Number.isFinite(ns) || Number.isNaN(ns)) {
        this.sum = ns;
        this.c = nc;
        return;
      }
      this.incremental = true;
      this.mean = this.sum / (this.count - 1);
      this.c /= this.count - 1;
    }
    if (!Number.isFinite(this.mean) && !Number.isNaN(this.mean)) {
      if (!Number.isFinite(f) && !Number.isNaN(f) && this.mean > 0 === f > 0) return;
      if (Number.isFinite(f)) return;
    }
    const q = (this.count - 1) / this.count;
    [this.mean, this.c] = kahanSumInc(f / this.count, q * this.mean, q * this.c);
  }

  value(): number {
    if (this.incremental) return this.mean + this.c;
    return this.sum / this.count + this.c / this.count;
  }
}

/** Welford's online variance with Kahan-compensated mean and M2. */
export class VarianceAccumulator {
  private count = 0;
  private mean = 0;
  private cMean = 0;
  private aux = 0;
  private cAux = 0;

  add(f: number): void {
    this.count++;
    const delta = f - (this.mean + this.cMean);
    [this.mean, this.cMean] = kahanSumInc(delta / this.count, this.mean, this.cMean);
    [this.aux, this.cAux] = kahanSumInc(delta * (f - (this.mean + this.cMean)), this.aux, this.cAux);
  }

  variance(): number {
    return (this.aux + this.cAux) / this.count;
  }
}

/** Sorts ascending with NaN first, as Prometheus's vectorByValueHeap. */
export function sortNaNFirst(values: number[]): number[] {
  return values.sort((a, b) => {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a - b;
  });
}

/** Prometheus's quantile(): linear interpolation between closest ranks. */
export function quantile(q: number, input: readonly number[]): number {
  if (input.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const values = sortNaNFirst([...input]);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (values[lower] as number) * (1 - weight) + (values[upper] as number) * weight;
}

/** Go's math.Pow special cases that differ from JS `**`. */
export function goPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Least-squares fit of (t - interceptTime in s, v); returns [slope, intercept] as Prometheus's linearRegression. */
export function linearRegression(points: ReadonlyArray<{ t: number; v: number }>, interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = (points[0] as { v: number }).v;
  let constY = true;
  points.forEach((p, i) => {
    if (constY && i > 0 && p.v !== initY) constY = false;
    n += 1;
    const x = (p.t - interceptTime) / 1000;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(p.v, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * p.v, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  });
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}
