/**
 * The correctly rounded sum of finite numbers (Shewchuk's algorithm, as Python's
 * math.fsum): the same result whatever the order of the inputs. With an infinity or NaN
 * among them, or when partial sums overflow, the plain sum, which is then Infinity,
 * -Infinity or NaN in any order.
 */
export function exactSum(xs: readonly number[]): number {
  const partials: number[] = [];
  for (let x of xs) {
    if (!Number.isFinite(x)) return plainSum(xs);
    let n = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[n++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) return plainSum(xs);
    partials.length = n;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Round half to even across the remaining partials, as fsum does.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi + 0; // no -0, as a plain sum starting at 0
}

function plainSum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
