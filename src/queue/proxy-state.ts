/**
 * Everything a proxy needs from a shared state database, wired once: plan tokens checked against
 * the keys and releases in state, the audit log in state, uploaded policies mirrored for the
 * PolicySource, the released plans as every session's default token, cancels passed between
 * proxies, and the metrics wrapper. `tripwire serve` uses it;
 * `tripwire proxy --state-url` can use it the same way.
 */
import type { Logger } from 'pino';
import { MeteredAudit, instrumented } from '../admin/instrument.js';
import type { TripwireMetrics } from '../admin/metrics.js';
import { CatalogCache, type SchemaFingerprinter } from '../catalog/catalog-cache.js';
import type { UpstreamConfig } from '../config/upstream.js';
import type { AuditSink } from '../enforce/audit-log.js';
import type { PlanTokens } from '../enforce/plan-tokens.js';
import { readPublicKeys } from '../policy/tokens/index.js';
import type { Interceptor } from '../proxy/interceptor.js';
import { StateAudit } from '../state/audit-sink.js';
import { StateEvents } from '../state/events.js';
import { PolicyMirror } from '../state/policy-mirror.js';
import type { StateDb } from '../state/state-db.js';
import { StateCancelRelay } from './state-cancel-relay.js';
import { RELEASED_PLANS, StatePlanTokens } from './state-plan-tokens.js';

export interface ProxyStateOptions {
  db: StateDb;
  upstream: UpstreamConfig;
  fingerprint: SchemaFingerprinter;
  /** `--policy`: the base under uploaded policies. */
  policyPath?: string;
  /** `--plan-public-key`: trusted besides the keys in state. */
  planPublicKey?: string;
  metrics: TripwireMetrics;
  logger: Logger;
  /** Policy mirror poll interval (ms). */
  policyPollMs?: number;
}

export interface ProxyState {
  tokens: PlanTokens;
  audit: AuditSink;
  /** Give this to createEnforcementStack as policyPath. */
  policyPath: string;
  events: StateEvents;
  /** Give this to createEnforcementStack as defaultToken: sessions without a token of their own use the released plans. */
  defaultToken: string;
  /** Wraps the enforcement interceptor with metrics. */
  wrap(interceptor: Interceptor): Interceptor;
  /** Give this to startProxy, then call serve(proxy): cancels reach the proxy that holds the session. */
  cancelRelay: StateCancelRelay;
  close(): Promise<void>;
}

export async function attachProxyToState(o: ProxyStateOptions): Promise<ProxyState> {
  const events = new StateEvents(o.db, o.logger);
  await events.start();
  const mirror = await PolicyMirror.open({ db: o.db, events, logger: o.logger, ...(o.policyPath ? { basePath: o.policyPath } : {}), ...(o.policyPollMs ? { pollMs: o.policyPollMs } : {}) });
  const catalogs = new CatalogCache(o.upstream, o.fingerprint, o.logger);
  const tokens = new StatePlanTokens({
    db: o.db,
    events,
    catalogs,
    fileKeys: o.planPublicKey ? await readPublicKeys(o.planPublicKey) : null,
    logger: o.logger,
    onOutcome: (result, reason) => o.metrics.planTokens.inc({ result, reason }),
  });
  const audit = new MeteredAudit(new StateAudit(o.db, o.logger), o.metrics);
  const cancelRelay = new StateCancelRelay(o.db, events, o.logger);
  return {
    tokens,
    audit,
    policyPath: mirror.dir,
    events,
    defaultToken: RELEASED_PLANS,
    wrap: (interceptor) => instrumented(interceptor, o.metrics),
    cancelRelay,
    async close() {
      tokens.close();
      await mirror.close();
      await events.close();
      await catalogs.close();
    },
  };
}
