/**
 * The migrations run on staging through tripwire's own proxy path, in record mode: the production
 * policy judges every statement exactly as in production but holds nothing (observe), and what
 * it would have held is recorded. Those are the statements the production token must cover; any
 * other statement changes the fingerprint, and the token would not cover it.
 */
import pg from 'pg';
import type { Logger } from 'pino';
import { CatalogCache } from '../catalog/catalog-cache.js';
import { parseUpstreamUrl } from '../config/upstream.js';
import type { AuditRecord, AuditSink } from '../enforce/audit-log.js';
import { createEnforcer } from '../enforce/enforcer.js';
import { planTokensFromKeys, schemaFingerprint } from '../enforce/token-gate.js';
import { lintText, loadInspector } from '../inspector/index.js';
import { PolicySource } from '../policy/source.js';
import { parseSync } from 'libpg-query';
import { scriptFingerprints, statementFingerprint } from '../policy/tokens/fingerprint.js';
import { DEFAULT_LIMITS } from '../proxy/limits.js';
import { startProxy } from '../proxy/server.js';
import type { RecordedStatement } from './types.js';

class Recorder implements AuditSink {
  readonly records: AuditRecord[] = [];
  record(entry: AuditRecord): void {
    this.records.push(entry);
  }
  async close(): Promise<void> {}
}

export interface RecordedRun {
  statements: RecordedStatement[];
  failure: { migration: string; error: string } | null;
}

function fingerprintsOf(sql: string): string[] {
  try {
    return scriptFingerprints(sql);
  } catch {
    return [];
  }
}

/** Each statement of a would-hold record that the hold is about: its text and fingerprint. */
function heldStatements(r: AuditRecord): Array<{ sql: string; fingerprint: string }> {
  let stmts: Array<{ stmt?: unknown; stmt_location?: number; stmt_len?: number }>;
  try {
    stmts = parseSync(r.statement).stmts ?? [];
  } catch {
    return [];
  }
  const bytes = Buffer.from(r.statement, 'utf8');
  const indexes = r.statements ?? stmts.map((_, i) => i + 1);
  return indexes.flatMap((i) => {
    const s = stmts[i - 1];
    if (!s?.stmt) return [];
    // Locations are byte offsets into the UTF-8 text; a length of 0 means "to the end".
    const start = s.stmt_location ?? 0;
    const text = bytes.subarray(start, s.stmt_len ? start + s.stmt_len : bytes.length).toString('utf8').trim();
    return [{ sql: text, fingerprint: statementFingerprint(s.stmt) }];
  });
}

/**
 * How a migration goes to the server: one simple query (one implicit transaction, as `psql -c`
 * or a runner's transaction sends it), unless it holds a statement PostgreSQL refuses inside a
 * transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …): then statement by statement, as a
 * runner told not to wrap it does.
 */
export function sendable(sql: string): string[] {
  const { statements } = lintText(sql);
  if (statements.every((s) => s.transactional)) return [sql];
  return statements.map((s) => sql.slice(s.offset, s.offset + s.length));
}

export async function runInRecordMode(o: {
  stagingUrl: string;
  migrations: ReadonlyArray<{ name: string; sql: string }>;
  covered: readonly string[];
  policyPath?: string;
  logger: Logger;
  onMigration?: (name: string, i: number) => void;
}): Promise<RecordedRun> {
  await loadInspector();
  const upstream = parseUpstreamUrl(o.stagingUrl);
  const policy = await PolicySource.open({ ...(o.policyPath ? { path: o.policyPath } : {}), watch: false, logger: o.logger });
  const catalogs = new CatalogCache(upstream, schemaFingerprint, o.logger);
  const recorder = new Recorder();
  const interceptor = createEnforcer({
    policy: () => ({ ...policy.current(), mode: 'observe' }),
    catalogs,
    tokens: await planTokensFromKeys(undefined),
    audit: recorder,
    log: o.logger,
    // Every statement judged afresh: a rehearsal is no place for cached verdicts.
    verdictCacheSize: 0,
    catalogMaxAgeMs: 0,
  });
  const proxy = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, upstream, limits: { ...DEFAULT_LIMITS } }, { logger: o.logger, interceptor });
  const covered = new Set(o.covered.flatMap(fingerprintsOf));
  const statements: RecordedStatement[] = [];
  let failure: RecordedRun['failure'] = null;
  const url = new URL(o.stagingUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.address.port);
  url.searchParams.delete('sslmode');
  const client = new pg.Client({ connectionString: url.toString(), application_name: 'tripwire-rehearsal' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for (const [i, m] of o.migrations.entries()) {
      o.onMigration?.(m.name, i);
      const seen = recorder.records.length;
      try {
        for (const part of sendable(m.sql)) await client.query(part);
      } catch (err) {
        failure = { migration: m.name, error: (err as Error).message };
      }
      for (const r of recorder.records.slice(seen)) {
        if (r.event !== 'would-hold') continue;
        for (const held of heldStatements(r)) statements.push({ migration: m.name, sql: held.sql, rules: r.rules, covered: covered.has(held.fingerprint) });
      }
      if (failure) break;
    }
  } finally {
    await client.end().catch(() => undefined);
    await proxy.close({ timeoutMs: 1000 });
    policy.close();
    await catalogs.close();
  }
  return { statements, failure };
}
