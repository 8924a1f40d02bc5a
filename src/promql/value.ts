import type { Labels } from '../model/labels.js';

export interface Point {
  readonly t: number;
  readonly v: number;
}

/** One element of an instant vector. `dropName` marks a pending `__name__` removal (delayed name removal). */
export interface Sample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
  readonly dropName?: boolean;
}

export type Vector = Sample[];

export interface Series {
  readonly labels: Labels;
  readonly points: Point[];
  dropName?: boolean;
}

export type Matrix = Series[];

/** A query result in the shapes of Prometheus's HTTP API `data.resultType`. */
export type QueryResult = (
  | { readonly resultType: 'vector'; readonly result: Vector }
  | { readonly resultType: 'matrix'; readonly result: Matrix }
  | { readonly resultType: 'scalar'; readonly result: Point }
  | { readonly resultType: 'string'; readonly result: { readonly t: number; readonly v: string } }
) &
  Annotations;

/** Prometheus's non-fatal annotations (`warnings` and `infos` in the HTTP API), with positions. */
export interface Annotations {
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}
