/** The admin API as a running server: state, the queue, the app, listening on real HTTP. */
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { CatalogCache, type SchemaFingerprinter } from '../catalog/catalog-cache.js';
import type { ListenAddress } from '../config/listen.js';
import type { StagingDatabases } from '../config/staging.js';
import { parseUpstreamUrl, type UpstreamConfig } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { loadInspector } from '../inspector/index.js';
import type { PlanSigner } from '../queue/signer.js';
import { RehearsalRuns } from '../queue/rehearsal-runs.js';
import { ShipQueue } from '../queue/ship-queue.js';
import { publishPlanKey } from '../queue/token-store.js';
import type { QueueSettings } from '../queue/types.js';
import { clientConfig } from '../state/connection.js';
import { StateDb } from '../state/state-db.js';
import { buildAdminApp } from './app.js';
import { tripwireMetrics, type TripwireMetrics } from './metrics.js';

export interface AdminServerOptions {
  listen: ListenAddress;
  upstreamUrl: string;
  /** Default: the upstream URL. */
  stateUrl?: string;
  /** An open state database to share (tripwire serve); otherwise one is opened from stateUrl. */
  db?: StateDb;
  fingerprint: SchemaFingerprinter;
  signer?: PlanSigner | null;
  settings?: Partial<QueueSettings>;
  /** Production target → staging database URL: where rehearsals run. */
  staging?: StagingDatabases;
  /** The proxy's policy, which rehearsals enforce in observe mode on staging. */
  policyPath?: string;
  metrics?: TripwireMetrics;
  logger: Logger;
}

export interface AdminServer {
  app: FastifyInstance;
  db: StateDb;
  queue: ShipQueue;
  rehearsals: RehearsalRuns;
  /** `http://host:port` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Can tripwire open a connection to the upstream server and run SELECT 1? */
export function upstreamProbe(upstream: UpstreamConfig, timeoutMs = 3000): () => Promise<boolean> {
  return async () => {
    const client = new pg.Client({ ...clientConfig(upstream, undefined, 'tripwire-ready'), connectionTimeoutMillis: timeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

export async function startAdmin(o: AdminServerOptions): Promise<AdminServer> {
  const upstream = parseUpstreamUrl(o.upstreamUrl);
  await loadInspector();
  const ownDb = !o.db;
  const db = o.db ?? (await StateDb.open({ url: o.stateUrl ?? o.upstreamUrl, logger: o.logger }));
  const catalogs = new CatalogCache(upstream, o.fingerprint, o.logger);
  let app: FastifyInstance | undefined;
  let rehearsals: RehearsalRuns | undefined;
  try {
    if (o.signer) await publishPlanKey(db.pool, o.signer.kid, o.signer.publicKey);
    const staging = o.staging ?? new Map<string, string>();
    const queue = new ShipQueue({ db, catalogs, settings: { ...o.settings, stagingTargets: [...staging.keys()] }, signer: o.signer ?? null, logger: o.logger });
    const runs = new RehearsalRuns({ db, upstreamUrl: o.upstreamUrl, staging, ...(o.policyPath ? { policyPath: o.policyPath } : {}), logger: o.logger });
    rehearsals = runs;
    app = await buildAdminApp({ db, queue, rehearsals: runs, metrics: o.metrics ?? tripwireMetrics(), upstreamReachable: upstreamProbe(upstream), logger: o.logger });
    try {
      await app.listen({ host: o.listen.host, port: o.listen.port });
    } catch (cause) {
      throw new TripwireError('TW_LISTEN_FAILED', { address: `${o.listen.host}:${o.listen.port}`, detail: (cause as Error).message }, { cause });
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : o.listen.port;
    const host = o.listen.host.includes(':') ? `[${o.listen.host}]` : o.listen.host;
    const started = app;
    return {
      app: started,
      db,
      queue,
      url: `http://${host}:${port}`,
      port,
      rehearsals: runs,
      async close() {
        await started.close();
        await rehearsals?.close();
        await catalogs.close();
        if (ownDb) await db.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await catalogs.close();
    if (ownDb) await db.close();
    throw err;
  }
}
