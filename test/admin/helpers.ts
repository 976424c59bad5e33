/**
 * The admin API on real HTTP (127.0.0.1, a free port) over a fresh state database on the shared
 * test server, with one API key per role and fetch-based helpers.
 */
import { pino } from 'pino';
import { createMetrics, type TripwireMetrics } from '../../src/admin/metrics.js';
import { startAdmin, type AdminServer } from '../../src/admin/server.js';
import { schemaFingerprint } from '../../src/enforce/token-gate.js';
import type { PlanSigner } from '../../src/queue/signer.js';
import type { QueueSettings } from '../../src/queue/types.js';
import { createApiKey } from '../../src/state/api-keys.js';
import { StateDb } from '../../src/state/state-db.js';
import { freshDatabase, serverUrl } from '../harness/env.js';
import { startServe, type Running } from '../../src/cli/serve-runtime.js';
import { DEFAULT_LIMITS } from '../../src/proxy/limits.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface Keys {
  ci: string;
  alice: string;
  bob: string;
  admin: string;
}

export interface TestAdmin {
  server: AdminServer;
  url: string;
  stateDatabase: string;
  keys: Keys;
  metrics: TripwireMetrics;
  call<T = any>(method: string, path: string, key?: string | null, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; text: string; headers: Headers }>;
}

export async function createKeys(db: StateDb): Promise<Keys> {
  return {
    ci: (await createApiKey(db.pool, 'github-actions', 'ci')).key,
    alice: (await createApiKey(db.pool, 'alice', 'approver')).key,
    bob: (await createApiKey(db.pool, 'bob', 'approver')).key,
    admin: (await createApiKey(db.pool, 'ops', 'admin')).key,
  };
}

export function caller(url: string) {
  return async (method: string, path: string, key?: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...headers };
    if (key) h.authorization = `Bearer ${key}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= typeof body === 'string' ? 'application/yaml' : 'application/json';
    }
    const res = await fetch(url + path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed as any, text, headers: res.headers };
  };
}

export async function startTestAdmin(
  t: Teardown,
  o: { stateDatabase?: string; signer?: PlanSigner | null; settings?: Partial<QueueSettings>; keys?: Keys } = {},
): Promise<TestAdmin> {
  const stateDatabase = o.stateDatabase ?? (await freshDatabase(t, 'twstate'));
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const server = await startAdmin({
    listen: { host: '127.0.0.1', port: 0 },
    upstreamUrl: serverUrl(),
    stateUrl: serverUrl(stateDatabase),
    fingerprint: schemaFingerprint,
    signer: o.signer ?? null,
    // These tests are about the other checks: the staging rehearsal has its own (test/rehearsal).
    settings: { requireRehearsal: false, ...o.settings },
    metrics,
    logger,
  });
  t.teardown(() => server.close());
  const keys = o.keys ?? (await createKeys(server.db));
  return { server, url: server.url, stateDatabase, keys, metrics, call: caller(server.url) };
}

/** A change body with defaults. */
export function change(target: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'a change',
    author: 'carol',
    revision: 'r1',
    baseRevision: 'r0',
    kind: 'schema',
    target,
    migrations: [{ name: '001_create.sql', sql: 'CREATE TABLE widgets (id int PRIMARY KEY, name text);' }],
    ...over,
  };
}

export interface TestServe {
  running: Running;
  /** The admin API's base URL. */
  url: string;
  proxyPort: number;
  proxyUrl(database: string, options?: string): string;
  call: ReturnType<typeof caller>;
}

/** `tripwire serve` in-process: the enforcing proxy and the admin API over one state database. */
export async function startTestServe(
  t: Teardown,
  o: { stateDatabase: string; upstreamUrl?: string; signingKey?: string; metrics?: TripwireMetrics; policyPollMs?: number; settings?: Partial<QueueSettings>; staging?: string[] },
): Promise<TestServe> {
  const running = await startServe({
    upstreamUrl: o.upstreamUrl ?? serverUrl(),
    stateUrl: serverUrl(o.stateDatabase),
    listen: { host: '127.0.0.1', port: 0 },
    adminListen: { host: '127.0.0.1', port: 0 },
    limits: { ...DEFAULT_LIMITS },
    ...(o.signingKey ? { planSigningKey: o.signingKey } : {}),
    metrics: o.metrics ?? createMetrics(),
    logger: pino({ level: 'silent' }),
    policyPollMs: o.policyPollMs ?? 500,
    settings: { requireRehearsal: false, ...o.settings },
    ...(o.staging ? { staging: o.staging } : {}),
  });
  t.teardown(() => running.close({ timeoutMs: 0 }));
  const proxyPort = running.proxy!.address.port;
  return {
    running,
    url: running.admin!.url,
    proxyPort,
    proxyUrl: (database, options) => `postgres://postgres@127.0.0.1:${proxyPort}/${database}${options ? `?options=${encodeURIComponent(options)}` : ''}`,
    call: caller(running.admin!.url),
  };
}

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
export async function eventually<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
