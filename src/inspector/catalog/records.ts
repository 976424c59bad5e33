/**
 * Name-keyed records that are safe for any name. A record may come from JSON.parse (with
 * Object.prototype behind it), so reads go through `entry()`, which only sees own properties,
 * and records tripwire builds have no prototype at all, so `"__proto__"` is just a name.
 */

export type Rec<T> = Readonly<Record<string, T>>;

const hasOwn = Object.prototype.hasOwnProperty;

export function entry<R extends Rec<unknown>>(rec: R | undefined, key: string): R[string] | undefined {
  return rec !== undefined && hasOwn.call(rec, key) ? (rec[key] as R[string]) : undefined;
}

export function newRec<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A writable copy with no prototype. */
export function copyRec<T>(rec: Rec<T>): Record<string, T> {
  const out = newRec<T>();
  for (const key of Object.keys(rec)) out[key] = rec[key]!;
  return out;
}

export function keys(rec: Rec<unknown> | undefined): string[] {
  return rec ? Object.keys(rec) : [];
}
