/**
 * The head's series by ref. Refs are handed out in increasing order, so a ref indexes a page
 * of an array instead of hashing into a Map that grows (and rehashes) with every new series.
 * A page is dropped once every series in it is gone, so memory follows the live series even
 * when series churn for months (refs are never reused).
 */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

interface Page<T> {
  readonly items: Array<T | undefined>;
  live: number;
}

export class SeriesById<T> {
  private pages: Array<Page<T> | undefined> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(ref: number): T | undefined {
    return this.pages[ref >>> PAGE_BITS]?.items[ref & (PAGE - 1)];
  }

  /** Sets the item for `ref` (a non-negative integer below 2^31). */
  set(ref: number, item: T): void {
    const p = ref >>> PAGE_BITS;
    while (this.pages.length <= p) this.pages.push(undefined);
    let page = this.pages[p];
    if (page === undefined) {
      page = { items: new Array<T | undefined>(PAGE).fill(undefined), live: 0 };
      this.pages[p] = page;
    }
    const i = ref & (PAGE - 1);
    if (page.items[i] === undefined) {
      page.live++;
      this.count++;
    }
    page.items[i] = item;
  }

  delete(ref: number): boolean {
    const p = ref >>> PAGE_BITS;
    const page = this.pages[p];
    const i = ref & (PAGE - 1);
    if (page === undefined || page.items[i] === undefined) return false;
    page.items[i] = undefined;
    page.live--;
    this.count--;
    if (page.live === 0) this.pages[p] = undefined;
    return true;
  }

  /** Items in ref order. */
  *values(): IterableIterator<T> {
    for (const page of this.pages) {
      if (page === undefined) continue;
      for (const item of page.items) if (item !== undefined) yield item;
    }
  }
}
