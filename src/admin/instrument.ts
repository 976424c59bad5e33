/**
 * Metrics from the outside of the proxy's seams, with no change to the proxy or the enforcement
 * layer: a wrapped interceptor counts sessions, verdicts and judging time; a wrapped audit sink
 * counts holds by rule; the proxy's observer reports upstream failures; bytes are read at scrape time.
 */
import type { AuditRecord, AuditSink } from '../enforce/audit-log.js';
import type { Interceptor, SessionInfo, SessionInterceptor, Verdict } from '../proxy/interceptor.js';
import type { ProxyObserver } from '../proxy/server.js';
import type { TripwireMetrics } from './metrics.js';

const VERDICT: Record<Verdict['action'], string> = { pass: 'pass', refuse: 'hold', notice: 'notice', replace: 'replace' };

export function instrumented(inner: Interceptor, m: TripwireMetrics): Interceptor {
  return {
    openSession(info: SessionInfo): SessionInterceptor {
      const session = inner.openSession(info);
      m.proxyConnections.inc();
      m.proxyConnectionsTotal.inc();
      let open = true;
      const count = (v: Verdict, start: bigint) => {
        m.inspectionSeconds.observe(Number(process.hrtime.bigint() - start) / 1e9);
        m.statementsInspected.inc({ verdict: VERDICT[v.action] });
        return v;
      };
      return {
        watches: session.watches,
        ...(session.startupParameters ? { startupParameters: session.startupParameters } : {}),
        // Statements the native relay passes by this filter are counted at scrape time (metrics.setNativeRelay).
        ...(session.nativeFilter ? { nativeFilter: session.nativeFilter } : {}),
        judge(type, message) {
          const start = process.hrtime.bigint();
          const v = session.judge(type, message);
          return v instanceof Promise ? v.then((x) => count(x, start)) : count(v, start);
        },
        readyForQuery: session.readyForQuery ? (status, failed) => session.readyForQuery!(status, failed) : undefined,
        readyForQueryNeeded: session.readyForQueryNeeded ? () => session.readyForQueryNeeded!() : undefined,
        close() {
          if (open) {
            open = false;
            m.proxyConnections.dec();
          }
          session.close?.();
        },
      };
    },
  };
}

/** Counts holds by rule on their way to the audit log. */
export class MeteredAudit implements AuditSink {
  constructor(
    private readonly inner: AuditSink,
    private readonly m: TripwireMetrics,
  ) {}

  record(entry: AuditRecord): void {
    if (entry.event === 'held') for (const rule of new Set(entry.rules)) this.m.holds.inc({ rule });
    this.inner.record(entry);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Upstream failures as sessions close; bytes are read from the proxy at scrape time (metrics.setTraffic). */
export function meteredProxy(m: TripwireMetrics): ProxyObserver {
  return { upstreamFailed: (kind) => m.upstreamErrors.inc({ kind }) };
}
