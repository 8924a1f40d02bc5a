/** A label set: names to values. Treated as immutable everywhere. */
export type Labels = Readonly<Record<string, string>>;

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEPARATOR = 0xff;
const encoder = new TextEncoder();

function fnvAdd(h: bigint, bytes: Uint8Array): bigint {
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK;
  return h;
}

/**
 * The fingerprint Alertmanager and Prometheus give a label set (FNV-1a 64 over the
 * sorted names and values, each followed by 0xff), as 16 lowercase hex digits.
 * Equal label sets always share it, so it is the identity used for dedup.
 */
export function fingerprint(labels: Labels): string {
  let h = FNV_OFFSET;
  const sep = new Uint8Array([SEPARATOR]);
  for (const name of Object.keys(labels).sort()) {
    h = fnvAdd(h, encoder.encode(name));
    h = fnvAdd(h, sep);
    h = fnvAdd(h, encoder.encode(labels[name] ?? ''));
    h = fnvAdd(h, sep);
  }
  return h.toString(16).padStart(16, '0');
}

/** Entries sorted by name, dropping empty values (an empty value means "label absent"). */
export function sortedEntries(labels: Labels): Array<[string, string]> {
  return Object.keys(labels)
    .sort()
    .filter((k) => labels[k] !== '')
    .map((k) => [k, labels[k] as string]);
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** `{a="1", b="2"}` with names sorted and values escaped as Prometheus prints them. */
export function formatLabels(labels: Labels): string {
  const parts = sortedEntries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

/** The subset of `labels` whose names are in `names` (absent names are skipped). */
export function pickLabels(labels: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined && v !== '') out[n] = v;
  }
  return out;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}
