/**
 * One tripwire process: the enforcing proxy and the admin API over one state database (`tripwire
 * serve`), or either alone (`tripwire admin` runs the API only). The private plan key stays here;
 * proxies anywhere that share the state database verify with its published public half.
 */
import type { Logger } from 'pino';
import { meteredProxy } from '../admin/instrument.js';
import { tripwireMetrics, type TripwireMetrics } from '../admin/metrics.js';
import { startAdmin, type AdminServer } from '../admin/server.js';
import type { ListenAddress } from '../config/listen.js';
import { parseStaging } from '../config/staging.js';
import { parseUpstreamUrl } from '../config/upstream.js';
import { createEnforcementStack, type EnforcementStack } from '../enforce/stack.js';
import { schemaFingerprint } from '../enforce/token-gate.js';
import type { ProxyLimits } from '../proxy/limits.js';
import type { RelayChoice } from '../proxy/native-relay.js';
import { startProxy, type ProxyServer, type TlsFiles } from '../proxy/server.js';
import { planSignerFromKey } from '../queue/plan-signer.js';
import { attachProxyToState, type ProxyState } from '../queue/proxy-state.js';
import type { QueueSettings } from '../queue/types.js';
import { StateDb } from '../state/state-db.js';

export interface ServeOptions {
  upstreamUrl: string;
  /** Default: the upstream URL. */
  stateUrl?: string;
  /** The proxy's address; null runs the admin API alone. */
  listen: ListenAddress | null;
  /** The admin API's address; null runs the proxy alone. */
  adminListen: ListenAddress | null;
  limits: ProxyLimits;
  tls?: TlsFiles;
  policyPath?: string;
  planPublicKey?: string;
  /** Ed25519 private key (PKCS8 PEM): releases mint plan tokens with it. */
  planSigningKey?: string;
  tokenTtlSeconds?: number;
  verdictCacheSize?: number;
  /** Which relay carries ready sessions (default auto). */
  relay?: RelayChoice;
  settings?: Partial<QueueSettings>;
  /** `--staging` entries (`target=url` or `target=database`): where rehearsals run. */
  staging?: readonly string[];
  metrics?: TripwireMetrics;
  logger: Logger;
  policyPollMs?: number;
}

export interface Running {
  db: StateDb;
  proxy: ProxyServer | null;
  admin: AdminServer | null;
  stack: EnforcementStack | null;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export async function startServe(o: ServeOptions): Promise<Running> {
  const upstream = parseUpstreamUrl(o.upstreamUrl);
  parseStaging(o.staging ?? [], o.upstreamUrl);
  const metrics = o.metrics ?? tripwireMetrics();
  const signer = o.planSigningKey ? await planSignerFromKey(o.planSigningKey, o.tokenTtlSeconds) : null;
  const db = await StateDb.open({ url: o.stateUrl ?? o.upstreamUrl, logger: o.logger });
  let state: ProxyState | null = null;
  let stack: EnforcementStack | null = null;
  let proxy: ProxyServer | null = null;
  let admin: AdminServer | null = null;
  const close = async (opts: { timeoutMs?: number } = {}) => {
    await admin?.close().catch(() => undefined);
    await proxy?.close(opts).catch(() => undefined);
    await stack?.close().catch(() => undefined);
    await state?.close().catch(() => undefined);
    await db.close();
  };
  try {
    if (o.listen) {
      state = await attachProxyToState({
        db,
        upstream,
        fingerprint: schemaFingerprint,
        metrics,
        logger: o.logger,
        ...(o.policyPath ? { policyPath: o.policyPath } : {}),
        ...(o.planPublicKey ? { planPublicKey: o.planPublicKey } : {}),
        ...(o.policyPollMs ? { policyPollMs: o.policyPollMs } : {}),
      });
      stack = await createEnforcementStack({
        upstream,
        limits: o.limits,
        policyPath: state.policyPath,
        tokens: state.tokens,
        fingerprint: schemaFingerprint,
        audit: state.audit,
        defaultToken: state.defaultToken,
        logger: o.logger,
        ...(o.verdictCacheSize !== undefined ? { verdictCacheSize: o.verdictCacheSize } : {}),
      });
      proxy = await startProxy(
        { listen: o.listen, upstream, limits: o.limits, ...(o.relay ? { relay: o.relay } : {}), ...(o.tls ? { tls: o.tls } : {}) },
        { logger: o.logger, interceptor: state.wrap(stack.interceptor), observer: meteredProxy(metrics), cancelRelay: state.cancelRelay },
      );
      const running = proxy;
      state.cancelRelay.serve(running);
      metrics.setTraffic(() => running.traffic());
      metrics.setNativeRelay(() => running.relayStatus());
    }
    if (o.adminListen) {
      admin = await startAdmin({
        listen: o.adminListen,
        upstreamUrl: o.upstreamUrl,
        db,
        fingerprint: schemaFingerprint,
        signer,
        settings: o.settings ?? {},
        staging: parseStaging(o.staging ?? [], o.upstreamUrl),
        ...(o.policyPath ? { policyPath: o.policyPath } : {}),
        metrics,
        logger: o.logger,
      });
    }
  } catch (err) {
    await close({ timeoutMs: 0 });
    throw err;
  }
  return { db, proxy, admin, stack, close };
}
