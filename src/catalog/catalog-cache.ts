import pg from 'pg';
import type { Logger } from 'pino';
import type { UpstreamConfig } from '../config/upstream.js';
import type { Catalog } from '../inspector/index.js';
import { readCatalog } from './read-catalog.js';

/** One database's catalog as last read, with what the hot path derives from it once. */
export interface CatalogSnapshot {
  readonly database: string;
  readonly catalog: Catalog;
  /** Stable hash of the schema: plan tokens are bound to it. */
  readonly fingerprint: string;
  /** User routine names (lower-case as stored): calling one is never on the fast path. */
  readonly routines: ReadonlySet<string>;
  readonly readAt: number;
}

export type SchemaFingerprinter = (catalog: Catalog) => string;

/**
 * tripwire's own view of each database's catalog, read on its own connection with the upstream
 * URL's credentials, shared by every session on that database, and re-read after DDL commits.
 */
export class CatalogCache {
  private readonly clients = new Map<string, Promise<pg.Client>>();
  private readonly snapshots = new Map<string, CatalogSnapshot>();
  private readonly loading = new Map<string, Promise<CatalogSnapshot>>();
  private readonly listeners: Array<(snapshot: CatalogSnapshot) => void> = [];

  constructor(
    private readonly upstream: UpstreamConfig,
    private readonly fingerprint: SchemaFingerprinter,
    private readonly log: Logger,
  ) {}

  /** Called with each snapshot as it replaces the last, before anyone can see it through current(). */
  onSnapshot(listener: (snapshot: CatalogSnapshot) => void): void {
    this.listeners.push(listener);
  }

  /** The snapshot if one has been read; never waits. */
  current(database: string): CatalogSnapshot | undefined {
    return this.snapshots.get(database);
  }

  /** The snapshot, reading it first if needed. */
  async get(database: string): Promise<CatalogSnapshot> {
    return this.snapshots.get(database) ?? this.refresh(database);
  }

  /** Re-reads the catalog (concurrent callers share one read). */
  refresh(database: string): Promise<CatalogSnapshot> {
    const inFlight = this.loading.get(database);
    if (inFlight) return inFlight;
    const load = this.withClient(database, async (client) => {
      const catalog = await readCatalog(client);
      const routines = new Set<string>();
      for (const schema of Object.values(catalog.schemas)) for (const name of Object.keys(schema.routines)) routines.add(name);
      const snapshot: CatalogSnapshot = { database, catalog, fingerprint: this.fingerprint(catalog), routines, readAt: Date.now() };
      for (const listener of this.listeners) listener(snapshot);
      this.snapshots.set(database, snapshot);
      this.log.debug({ database, fingerprint: snapshot.fingerprint }, 'catalog read');
      return snapshot;
    }).finally(() => this.loading.delete(database));
    this.loading.set(database, load);
    return load;
  }

  /** Runs `fn` on tripwire's own connection to `database` (one per database, reopened if lost). */
  async withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    let pending = this.clients.get(database);
    if (!pending) {
      pending = this.connect(database);
      this.clients.set(database, pending);
    }
    let client: pg.Client;
    try {
      client = await pending;
    } catch (err) {
      this.clients.delete(database);
      throw err;
    }
    return fn(client);
  }

  private async connect(database: string): Promise<pg.Client> {
    const client = new pg.Client({
      host: this.upstream.host,
      port: this.upstream.port,
      user: this.upstream.user ?? 'postgres',
      ...(this.upstream.password ? { password: this.upstream.password } : {}),
      database,
      application_name: 'tripwire',
      ssl: this.upstream.sslmode === 'disable' ? false : { rejectUnauthorized: this.upstream.sslmode === 'verify-full' || this.upstream.sslmode === 'verify-ca' },
    });
    client.on('error', (err) => {
      this.log.warn({ database, err: err.message }, 'catalog connection lost');
      this.clients.delete(database);
    });
    client.on('end', () => this.clients.delete(database));
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((p) => p.then((c) => c.end()).catch(() => undefined)));
  }
}
