/** The live side of a target database, as the queue judges against it: its catalog, fingerprint and objects. */
import type { CatalogCache, CatalogSnapshot } from '../catalog/catalog-cache.js';
import { TripwireError } from '../errors.js';
import type { Catalog } from '../inspector/index.js';
import { objectsOf } from './effect.js';

export interface LiveTarget {
  catalog: Catalog;
  fingerprint: string;
  objects: ReadonlySet<string>;
}

const objects = new WeakMap<CatalogSnapshot, ReadonlySet<string>>();

/** Reads the target's catalog now (never a stale snapshot: the queue decides on what is live). */
export async function readLive(catalogs: CatalogCache, target: string): Promise<LiveTarget> {
  let snap: CatalogSnapshot;
  try {
    snap = await catalogs.refresh(target);
  } catch (err) {
    throw new TripwireError('TW_API_CONFLICT', { detail: `cannot read the catalog of the target database ${JSON.stringify(target)}: ${(err as Error).message}` }, { cause: err });
  }
  let o = objects.get(snap);
  if (!o) {
    o = objectsOf(snap.catalog);
    objects.set(snap, o);
  }
  return { catalog: snap.catalog, fingerprint: snap.fingerprint, objects: o };
}
