/**
 * JSON.stringify whose result is one flat string.
 *
 * V8 builds a JSON.stringify result in parts of growing size and returns anything longer than
 * its first part (a couple of hundred characters) as a tree of them (a cons string). Whatever
 * needs it flat later — postMessage to the database worker, Buffer.byteLength of an HTTP body —
 * makes the flat copy then, and by that time the parts, kept alive with the string for as long
 * as it waits (a notification waits for its commit and its delivery, a row for its
 * transaction), have been promoted to the old generation: a notification of 100 alerts left
 * twice its size there. Converting the string to a number flattens it in place at once (the
 * technique of the `flatstr` package), while the parts are still young garbage that the next
 * scavenge frees.
 */
export function stringifyFlat(value: unknown): string {
  const s = JSON.stringify(value);
  // ToNumber flattens its argument; the number itself (NaN) is of no interest.
  void Number(s);
  return s;
}
