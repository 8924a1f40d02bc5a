import type { Labels } from '../model/labels.js';
import { EMPTY, type PostingsIndex } from './postings.js';

interface List {
  ids: Uint32Array;
  n: number;
}

/**
 * A value's postings: a lone series id (most values of high-cardinality labels belong to one
 * series, and a bare number costs no allocation) or a list, once a second id arrives.
 */
type Entry = number | List;

/**
 * The head's postings: label name → value → ascending series ids. Ids are assigned in
 * increasing order, so adding a new series is an append; deletions are batched.
 */
export class MemPostings implements PostingsIndex {
  private readonly byName = new Map<string, Map<string, Entry>>();
  private all: List = { ids: new Uint32Array(64), n: 0 };

  add(id: number, labels: Iterable<readonly [string, string]>): void {
    push(this.all, id);
    for (const [name, value] of labels) this.addOne(id, name, value);
  }

  /** add() for a label set object, without building entry pairs (series creation is hot). */
  addLabels(id: number, labels: Labels): void {
    push(this.all, id);
    for (const name in labels) this.addOne(id, name, labels[name] as string); // for-in: no keys array
  }

  private addOne(id: number, name: string, value: string): void {
    let values = this.byName.get(name);
    if (!values) {
      values = new Map();
      this.byName.set(name, values);
    }
    const e = values.get(value);
    if (e === undefined) values.set(value, id);
    else if (typeof e === 'number') {
      const ids = new Uint32Array(4);
      ids[0] = e;
      ids[1] = id;
      values.set(value, { ids, n: 2 });
    } else push(e, id);
  }

  /** Removes the given series ids everywhere. */
  delete(ids: ReadonlySet<number>, labelsOf: (id: number) => Iterable<readonly [string, string]>): void {
    if (ids.size === 0) return;
    const touched = new Set<List>();
    for (const id of ids) {
      for (const [name, value] of labelsOf(id)) {
        const values = this.byName.get(name);
        const e = values?.get(value);
        if (e === undefined) continue;
        if (typeof e !== 'number') touched.add(e);
        else if (ids.has(e)) values?.delete(value);
      }
    }
    for (const list of [...touched, this.all]) {
      let n = 0;
      for (let i = 0; i < list.n; i++) {
        const x = list.ids[i] as number;
        if (!ids.has(x)) list.ids[n++] = x;
      }
      list.n = n;
    }
    for (const [name, values] of this.byName) {
      for (const [value, e] of values) if (typeof e !== 'number' && e.n === 0) values.delete(value);
      if (values.size === 0) this.byName.delete(name);
    }
  }

  allPostings(): Uint32Array {
    return this.all.ids.slice(0, this.all.n);
  }

  valuesOf(name: string): Iterable<string> {
    return this.byName.get(name)?.keys() ?? [];
  }

  postings(name: string, value: string): Uint32Array {
    const e = this.byName.get(name)?.get(value);
    if (e === undefined) return EMPTY;
    return typeof e === 'number' ? Uint32Array.of(e) : e.ids.slice(0, e.n);
  }

  labelNames(): string[] {
    return [...this.byName.keys()];
  }
}

function push(list: List, id: number): void {
  if (list.n === list.ids.length) {
    const next = new Uint32Array(list.ids.length * 2);
    next.set(list.ids);
    list.ids = next;
  }
  list.ids[list.n++] = id;
}
