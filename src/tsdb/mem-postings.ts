import { EMPTY, type PostingsIndex } from './postings.js';

interface List {
  ids: Uint32Array;
  n: number;
}

/**
 * The head's postings: label name → value → ascending series ids. Ids are assigned in
 * increasing order, so adding a new series is an append; deletions are batched.
 */
export class MemPostings implements PostingsIndex {
  private readonly byName = new Map<string, Map<string, List>>();
  private all: List = { ids: new Uint32Array(64), n: 0 };

  add(id: number, labels: Iterable<readonly [string, string]>): void {
    push(this.all, id);
    for (const [name, value] of labels) {
      let values = this.byName.get(name);
      if (!values) {
        values = new Map();
        this.byName.set(name, values);
      }
      let list = values.get(value);
      if (!list) {
        list = { ids: new Uint32Array(2), n: 0 };
        values.set(value, list);
      }
      push(list, id);
    }
  }

  /** Removes the given series ids everywhere. */
  delete(ids: ReadonlySet<number>, labelsOf: (id: number) => Iterable<readonly [string, string]>): void {
    if (ids.size === 0) return;
    const touched = new Set<List>();
    for (const id of ids) {
      for (const [name, value] of labelsOf(id)) {
        const list = this.byName.get(name)?.get(value);
        if (list) touched.add(list);
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
      for (const [value, list] of values) if (list.n === 0) values.delete(value);
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
    const list = this.byName.get(name)?.get(value);
    return list ? list.ids.slice(0, list.n) : EMPTY;
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
