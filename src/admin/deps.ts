import type {} from '@fastify/swagger';
import type { Logger } from 'pino';
import type { RehearsalRuns } from '../queue/rehearsal-runs.js';
import type { ShipQueue } from '../queue/ship-queue.js';
import type { StateDb } from '../state/state-db.js';
import type { TripwireMetrics } from './metrics.js';

/** What the admin API's routes need. */
export interface AdminDeps {
  db: StateDb;
  queue: ShipQueue;
  rehearsals: RehearsalRuns;
  metrics: TripwireMetrics;
  /** Can tripwire reach the upstream server now? For /readyz. */
  upstreamReachable(): Promise<boolean>;
  logger: Logger;
}
