import type { CatalogSnapshot } from '../catalog/catalog-cache.js';
import type { NativeFilterHandle, NativeRelayModule } from '../proxy/native-relay.js';

type FilterFunctions = Pick<NativeRelayModule, 'createFilter' | 'setRoutines'>;

/**
 * The judge's fast path (harmless-scan.ts) for the native relay: one filter per database, holding
 * the routine names of that database's current catalog snapshot, shared by its sessions' pumps.
 * With it a harmless Query or Parse never leaves C. It follows the snapshot exactly as the
 * judge's own fast path does: nothing passes before a snapshot has been read.
 */
export class NativeFilters {
  private readonly filters = new Map<string, NativeFilterHandle>();

  constructor(private readonly native: FilterFunctions | null) {}

  /** The database's filter; undefined without the native module (every message is judged). */
  forDatabase(database: string, current: CatalogSnapshot | undefined): NativeFilterHandle | undefined {
    if (!this.native) return undefined;
    let filter = this.filters.get(database);
    if (!filter) {
      filter = this.native.createFilter();
      this.filters.set(database, filter);
      if (current) this.load(filter, current);
    }
    return filter;
  }

  /** A new snapshot was read: its routines replace the old ones before any pump looks again. */
  snapshotRead(snapshot: CatalogSnapshot): void {
    const filter = this.filters.get(snapshot.database);
    if (filter) this.load(filter, snapshot);
  }

  private load(filter: NativeFilterHandle, snapshot: CatalogSnapshot): void {
    this.native!.setRoutines(filter, [...snapshot.routines]);
  }
}
