import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseUpstreamUrl } from '../../src/config/upstream.js';
import { createEnforcementStack, type EnforcementStack } from '../../src/enforce/stack.js';
import type { PlanTokens } from '../../src/enforce/plan-tokens.js';
import { DEFAULT_LIMITS, type ProxyLimits } from '../../src/proxy/limits.js';
import { startProxy, type ProxyServer } from '../../src/proxy/server.js';
import { serverUrl } from './env.js';
import { testPlanTokens, testSchemaFingerprint } from './plan-keys.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface EnforcingProxy {
  server: ProxyServer;
  stack: EnforcementStack;
  port: number;
  url(database: string, options?: string): string;
  /** The audit records written so far. */
  audit(): Array<Record<string, unknown>>;
}

/** The proxy as `tripwire proxy` runs it by default (enforcing), in front of the shared test server. */
export async function startEnforcingProxy(t: Teardown, options: { policyPath?: string; tokens?: PlanTokens; catalogMaxAgeMs?: number } = {}): Promise<EnforcingProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-audit-'));
  const auditPath = join(dir, 'audit.jsonl');
  const limits: ProxyLimits = { ...DEFAULT_LIMITS };
  const upstream = parseUpstreamUrl(serverUrl());
  const stack = await createEnforcementStack({
    upstream,
    limits,
    ...(options.policyPath ? { policyPath: options.policyPath } : {}),
    tokens: options.tokens ?? (await testPlanTokens()),
    fingerprint: testSchemaFingerprint,
    audit: auditPath,
    logger: pino({ level: 'silent' }),
    ...(options.catalogMaxAgeMs !== undefined ? { catalogMaxAgeMs: options.catalogMaxAgeMs } : {}),
  });
  const server = await startProxy({ listen: { host: '127.0.0.1', port: 0 }, upstream, limits }, { interceptor: stack.interceptor });
  t.teardown(async () => {
    await server.close({ timeoutMs: 0 });
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const port = server.address.port;
  return {
    server,
    stack,
    port,
    url: (database, opts) => `postgres://postgres@127.0.0.1:${port}/${database}${opts ? `?options=${encodeURIComponent(opts)}` : ''}`,
    audit: () => {
      try {
        return readFileSync(auditPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      } catch {
        return [];
      }
    },
  };
}
