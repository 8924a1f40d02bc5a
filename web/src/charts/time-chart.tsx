import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { yRange } from './ranges';
import { effectiveTheme } from '../lib/theme';
import { formatLocal, formatUtc } from '../lib/time';

export interface ChartSeries {
  readonly label: string;
  /** [unix seconds, value]; NaN or null leaves a gap. */
  readonly points: ReadonlyArray<readonly [number, number | null]>;
}

const PALETTE = ['#3d7bd9', '#e0782f', '#2e9e5b', '#c23b8b', '#8c6bd6', '#c9a227', '#1fa3a3', '#d64545', '#6b8e23', '#a0522d'];

/** Every series on one shared time axis (uPlot wants aligned columns). */
export function align(series: readonly ChartSeries[]): AlignedData {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const cols = series.map((s) => {
    const col: Array<number | null> = new Array(times.length).fill(null);
    for (const [t, v] of s.points) col[index.get(t) as number] = v === null || Number.isNaN(v) ? null : v;
    return col;
  });
  return [times, ...cols] as AlignedData;
}

export function formatValue(v: number | null | undefined, unit?: string): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (unit === 's') {
    if (Math.abs(v) < 1) return `${+(v * 1000).toPrecision(3)} ms`;
    return `${+v.toPrecision(3)} s`;
  }
  if (unit === '%') return `${+(v * 100).toPrecision(4)}%`;
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(4));
}

/**
 * A time-series chart (uPlot): lines, or bars for a histogram. Times in the browser's zone
 * on the axis, the legend shows the hovered time in UTC too. Resizes with its container.
 */
export function TimeChart({
  series,
  height = 260,
  unit,
  bars = false,
  label,
  showLegend = true,
  range,
}: {
  series: readonly ChartSeries[];
  height?: number;
  unit?: string;
  bars?: boolean;
  label: string;
  showLegend?: boolean;
  /** The time window shown, in unix seconds (the query's range), whatever the data covers. */
  range?: readonly [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = effectiveTheme() === 'dark';
    const axis = { stroke: dark ? '#9aa6b4' : '#5a6675', grid: { stroke: dark ? '#2c3845' : '#e3e7ec', width: 1 }, ticks: { stroke: dark ? '#2c3845' : '#d9dee5' } };
    const opts: Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: showLegend, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true, ...(range ? { range: () => [range[0], range[1]] as [number, number] } : {}) }, y: { range: (_u, min, max) => yRange(min, max) } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map((t) => formatLocal(t * 1000)) },
        { ...axis, size: 64, values: (_u, ticks) => ticks.map((v) => formatValue(v, unit)) },
      ],
      series: [
        { label: 'Time', value: (_u, t) => (t === null ? '–' : `${formatLocal(t * 1000)} (${formatUtc(t * 1000)})`) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          ...(bars ? { fill: `${PALETTE[i % PALETTE.length]}99`, paths: uPlot.paths.bars?.({ size: [0.8, 40] }), points: { show: false } } : { points: { show: false } }),
          value: (_u: uPlot, v: number | null) => formatValue(v, unit),
        })),
      ],
    };
    const plot = new uPlot(opts, align(series), el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [series, height, unit, bars, showLegend, range?.[0], range?.[1]]);
  return <div ref={box} className="chart" style={{ minHeight: height }} role="img" aria-label={label} data-testid="chart" />;
}

