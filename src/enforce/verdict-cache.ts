import type { CatalogSnapshot } from '../catalog/catalog-cache.js';

/**
 * Texts the inspector found harmless, per catalog snapshot (a new snapshot starts empty, so a
 * changed schema is never judged by an old verdict). Bounded: least recently used goes first.
 * Parse messages repeat their text (postgres.js prepares every query), so this spares a parse.
 */
export class VerdictCache {
  private readonly bySnapshot = new WeakMap<CatalogSnapshot, Map<string, true>>();

  constructor(readonly maxEntries: number) {}

  has(snap: CatalogSnapshot, sql: string): boolean {
    const texts = this.bySnapshot.get(snap);
    if (!texts?.delete(sql)) return false;
    texts.set(sql, true); // most recently used goes last
    return true;
  }

  add(snap: CatalogSnapshot, sql: string): void {
    if (this.maxEntries <= 0) return;
    let texts = this.bySnapshot.get(snap);
    if (!texts) this.bySnapshot.set(snap, (texts = new Map()));
    texts.set(sql, true);
    if (texts.size > this.maxEntries) texts.delete(texts.keys().next().value!);
  }
}
