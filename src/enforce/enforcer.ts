import type { Logger } from 'pino';
import type { CatalogCache } from '../catalog/catalog-cache.js';
import { DEFAULT_STAKE_OPTIONS, type StakeOptions } from '../catalog/data-at-stake.js';
import type { Policy } from '../policy/types.js';
import type { Interceptor, SessionInfo, SessionInterceptor } from '../proxy/interceptor.js';
import { loadNativeRelay } from '../proxy/native-relay.js';
import type { AuditSink } from './audit-log.js';
import { NativeFilters } from './native-filters.js';
import type { PlanTokens } from './plan-tokens.js';
import { SessionJudge } from './session-judge.js';
import { VerdictCache } from './verdict-cache.js';

export interface EnforcerOptions {
  policy(): Policy;
  catalogs: CatalogCache;
  tokens: PlanTokens;
  audit: AuditSink;
  log: Logger;
  /** Harmless texts remembered per database snapshot. */
  verdictCacheSize?: number;
  stake?: StakeOptions;
  catalogMaxAgeMs?: number;
  /**
   * The plan token of a session that presents none: `tripwire serve` and `tripwire proxy
   * --state-url` give every session the ship queue's released plans this way, so a migration
   * runner needs nothing in its URL.
   */
  defaultToken?: string;
}

export const DEFAULT_VERDICT_CACHE_SIZE = 10_000;
/** A statement that needs judging re-reads a catalog older than this. */
export const DEFAULT_CATALOG_MAX_AGE_MS = 1_000;

/** The interceptor that enforces policy: proxy → inspector → policy → proxy. */
export function createEnforcer(options: EnforcerOptions): Interceptor {
  const deps = {
    policy: options.policy,
    catalogs: options.catalogs,
    tokens: options.tokens,
    audit: options.audit,
    log: options.log,
    cache: new VerdictCache(options.verdictCacheSize ?? DEFAULT_VERDICT_CACHE_SIZE),
    stake: options.stake ?? DEFAULT_STAKE_OPTIONS,
    catalogMaxAgeMs: options.catalogMaxAgeMs ?? DEFAULT_CATALOG_MAX_AGE_MS,
    defaultToken: options.defaultToken ?? null,
    filters: nativeFilters(options.catalogs),
  };
  return {
    openSession: (info: SessionInfo): SessionInterceptor => new SessionJudge(info, deps),
  };
}

/** The native relay's per-database filters, kept in step with the catalog (none without the addon). */
function nativeFilters(catalogs: CatalogCache): NativeFilters {
  const native = loadNativeRelay();
  const filters = new NativeFilters(native.ok ? native.module : null);
  catalogs.onSnapshot((snapshot) => filters.snapshotRead(snapshot));
  return filters;
}
