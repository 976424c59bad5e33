import type { Logger } from 'pino';
import { CatalogCache, type SchemaFingerprinter } from '../catalog/catalog-cache.js';
import type { UpstreamConfig } from '../config/upstream.js';
import { loadInspector } from '../inspector/index.js';
import { applyPolicyLimits } from '../policy/limits.js';
import { PolicySource } from '../policy/source.js';
import type { Interceptor } from '../proxy/interceptor.js';
import type { ProxyLimits } from '../proxy/limits.js';
import { JsonLinesAudit, type AuditSink } from './audit-log.js';
import { createEnforcer } from './enforcer.js';
import type { PlanTokens } from './plan-tokens.js';

export interface EnforcementStackOptions {
  upstream: UpstreamConfig;
  /** `--policy FILE|DIR`; the default policy when absent. */
  policyPath?: string;
  /** The proxy's limits object: policy limits are written into it (new sessions read it). */
  limits: ProxyLimits;
  tokens: PlanTokens;
  fingerprint: SchemaFingerprinter;
  /** A JSON-lines file, `-` for stdout, or an AuditSink. */
  audit: string | AuditSink;
  logger: Logger;
  verdictCacheSize?: number;
  catalogMaxAgeMs?: number;
  /** The plan token of sessions that present none (see EnforcerOptions.defaultToken). */
  defaultToken?: string;
}

export interface EnforcementStack {
  interceptor: Interceptor;
  policy: PolicySource;
  catalogs: CatalogCache;
  close(): Promise<void>;
}

/** Everything enforcement needs, wired once: what `tripwire proxy` runs by default. */
export async function createEnforcementStack(o: EnforcementStackOptions): Promise<EnforcementStack> {
  await loadInspector();
  const baseLimits: ProxyLimits = { ...o.limits };
  const policy = await PolicySource.open({
    ...(o.policyPath ? { path: o.policyPath } : {}),
    logger: o.logger,
    onChange: (next) => {
      Object.assign(o.limits, applyPolicyLimits(baseLimits, next));
      o.logger.info({ mode: next.mode, sources: next.sources }, 'policy reloaded');
    },
    onError: (err) => o.logger.error({ err: err.message }, 'policy reload failed: keeping the last good policy'),
  });
  Object.assign(o.limits, applyPolicyLimits(baseLimits, policy.current()));
  const catalogs = new CatalogCache(o.upstream, o.fingerprint, o.logger);
  const audit = typeof o.audit === 'string' ? new JsonLinesAudit(o.audit, (err) => o.logger.error({ err: err.message }, 'audit log write failed')) : o.audit;
  const interceptor = createEnforcer({
    policy: () => policy.current(),
    catalogs,
    tokens: o.tokens,
    audit,
    log: o.logger,
    ...(o.verdictCacheSize !== undefined ? { verdictCacheSize: o.verdictCacheSize } : {}),
    ...(o.catalogMaxAgeMs !== undefined ? { catalogMaxAgeMs: o.catalogMaxAgeMs } : {}),
    ...(o.defaultToken !== undefined ? { defaultToken: o.defaultToken } : {}),
  });
  return {
    interceptor,
    policy,
    catalogs,
    async close() {
      policy.close();
      await catalogs.close();
      await audit.close();
    },
  };
}
