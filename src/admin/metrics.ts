/**
 * Every metric tripwire exposes, defined once. The proxy and enforcement layers import
 * `tripwireMetrics()` and increment what they own; the admin API serves the registry at /metrics.
 *
 * Where each one moves:
 * - statementsInspected{verdict}: one per judged Query/Parse (pass, hold, notice, replace); those
 *   the native relay's filter passes are read from the proxy at scrape time, as passes.
 * - holds{rule}: one per held statement, per rule that held it.
 * - planTokens{result, reason}: one per plan token check (accepted, or refused with its reason).
 * - queueChanges{state}: read from the state database at scrape time.
 * - proxyConnections (open now) and proxyConnectionsTotal: client sessions.
 * - proxyBytes{direction}: bytes relayed, client_to_server and server_to_client, read from the proxy at scrape time.
 * - inspectionSeconds: time to judge one message in JavaScript (its fast path included; not
 *   the native relay's filter, which runs in C inside the relay and is not timed one by one).
 * - upstreamErrors{kind}: sessions whose server side failed: unreachable, tls_refused or lost.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CHANGE_STATUSES } from '../queue/types.js';

export type QueueCounts = () => Promise<ReadonlyArray<{ status: string; n: number }>>;
export type TrafficSource = () => { fromClient: number; fromServer: number };
export type NativeRelaySource = () => { nativeSessions: number; nativelyPassed: number };

export interface TripwireMetrics {
  readonly registry: Registry;
  readonly statementsInspected: Counter<'verdict'>;
  readonly holds: Counter<'rule'>;
  readonly planTokens: Counter<'result' | 'reason'>;
  readonly queueChanges: Gauge<'state'>;
  readonly proxyConnections: Gauge;
  readonly proxyConnectionsTotal: Counter;
  readonly proxyBytes: Counter<'direction'>;
  readonly proxyNativeSessions: Gauge;
  readonly inspectionSeconds: Histogram;
  readonly upstreamErrors: Counter<'kind'>;
  /** Where queueChanges reads its counts (set by the admin API; unset: the gauge stays empty). */
  setQueueCounts(source: QueueCounts | null): void;
  /** Where proxyBytes reads the proxy's byte totals (set when a proxy runs in this process). */
  setTraffic(source: TrafficSource | null): void;
  /**
   * Where proxyNativeSessions reads how many sessions the native relay carries now, and
   * statementsInspected how many statements its filter passed.
   */
  setNativeRelay(source: NativeRelaySource | null): void;
}

/** A fresh set of metrics on its own registry, with the default process metrics. */
export function createMetrics(): TripwireMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let queueCounts: QueueCounts | null = null;
  let traffic: TrafficSource | null = null;
  let nativeRelay: NativeRelaySource | null = null;
  // Totals read from the proxy at scrape time, and how much of each the counters already hold.
  const reported = { fromClient: 0, fromServer: 0, nativelyPassed: 0 };
  const catchUp = (counter: Counter<string>, labels: Record<string, string>, key: keyof typeof reported, total: number) => {
    if (total <= reported[key]) return;
    counter.inc(labels, total - reported[key]);
    reported[key] = total;
  };
  const registers = [registry];
  const metrics: TripwireMetrics = {
    registry,
    statementsInspected: new Counter({
      name: 'tripwire_statements_inspected_total',
      help: 'Queries and Parses judged, by verdict (pass, hold, notice, replace)',
      labelNames: ['verdict'],
      registers,
      // The native relay passes most statements without a judge call: its count is read here.
      collect() {
        if (!nativeRelay) return;
        catchUp(this, { verdict: 'pass' }, 'nativelyPassed', nativeRelay().nativelyPassed);
      },
    }),
    holds: new Counter({ name: 'tripwire_holds_total', help: 'Statements held, by the rule that held them', labelNames: ['rule'], registers }),
    planTokens: new Counter({ name: 'tripwire_plan_tokens_total', help: 'Plan token checks, accepted or refused, by reason', labelNames: ['result', 'reason'], registers }),
    queueChanges: new Gauge({
      name: 'tripwire_queue_changes',
      help: 'Changes in the ship queue, by state',
      labelNames: ['state'],
      registers,
      async collect() {
        if (!queueCounts) return;
        this.reset();
        for (const s of CHANGE_STATUSES) this.set({ state: s }, 0);
        try {
          for (const { status, n } of await queueCounts()) this.set({ state: status }, n);
        } catch {
          // The state database is unreachable: /readyz says so; the scrape still succeeds.
        }
      },
    }),
    proxyConnections: new Gauge({ name: 'tripwire_proxy_connections', help: 'Client sessions open now', registers }),
    proxyConnectionsTotal: new Counter({ name: 'tripwire_proxy_connections_total', help: 'Client sessions opened', registers }),
    proxyBytes: new Counter({
      name: 'tripwire_proxy_bytes_total',
      help: 'Bytes relayed, by direction (client_to_server, server_to_client)',
      labelNames: ['direction'],
      registers,
      // Read at scrape time, so the relay path keeps no counters of its own.
      collect() {
        if (!traffic) return;
        const t = traffic();
        catchUp(this, { direction: 'client_to_server' }, 'fromClient', t.fromClient);
        catchUp(this, { direction: 'server_to_client' }, 'fromServer', t.fromServer);
      },
    }),
    proxyNativeSessions: new Gauge({
      name: 'tripwire_proxy_native_sessions',
      help: 'Client sessions the native relay carries now (the rest are on the JavaScript relay)',
      registers,
      collect() {
        if (nativeRelay) this.set(nativeRelay().nativeSessions);
      },
    }),
    inspectionSeconds: new Histogram({
      name: 'tripwire_inspection_seconds',
      help: 'Time to judge one Query or Parse in JavaScript, its fast path included (not the native relay filter)',
      buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    upstreamErrors: new Counter({ name: 'tripwire_upstream_errors_total', help: 'Failures reaching or keeping the upstream server, by kind', labelNames: ['kind'], registers }),
    setQueueCounts(source) {
      queueCounts = source;
    },
    setTraffic(source) {
      traffic = source;
    },
    setNativeRelay(source) {
      nativeRelay = source;
    },
  };
  return metrics;
}

let shared: TripwireMetrics | null = null;

/** The process-wide metrics: what the proxy increments and the admin API serves. */
export function tripwireMetrics(): TripwireMetrics {
  shared ??= createMetrics();
  return shared;
}
