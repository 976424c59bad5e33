import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import { planTokenGate } from '../../src/enforce/token-gate.js';
import type { PlanTokens } from '../../src/enforce/plan-tokens.js';
import { readPrivateKey, readPublicKeys, schemaFingerprint, scriptFingerprints, signPlanToken, writeKeyPair, type PlanPrivateKey } from '../../src/policy/tokens/index.js';
import { serverUrl } from './env.js';

export { schemaFingerprint as testSchemaFingerprint };

export interface TestKeys {
  dir: string;
  privatePath: string;
  publicPath: string;
  privateKey: PlanPrivateKey;
  tokens: PlanTokens;
}

/** A fresh Ed25519 pair in a temp dir, and the proxy's token gate that trusts it. */
export async function testKeys(t: { teardown(fn: () => unknown): void }): Promise<TestKeys> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-keys-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const privatePath = join(dir, 'plan.key');
  const publicPath = join(dir, 'plan.pub.pem');
  await writeKeyPair(privatePath, publicPath);
  return { dir, privatePath, publicPath, privateKey: await readPrivateKey(privatePath), tokens: planTokenGate(await readPublicKeys(publicPath)) };
}

/** Without keys: every token is refused with TW_TOKEN_NO_KEYS. */
export async function testPlanTokens(): Promise<PlanTokens> {
  return planTokenGate(null);
}

export async function liveFingerprint(database: string): Promise<string> {
  const c = new pg.Client({ connectionString: serverUrl(database) });
  await c.connect();
  try {
    return schemaFingerprint(await readCatalog(c));
  } finally {
    await c.end();
  }
}

/** A token for the statements of `sql`, bound to the live schema of `database` unless told otherwise. */
export async function signFor(keys: TestKeys, database: string, sql: string, o: { ttlSeconds?: number; schema?: string; signedBy?: PlanPrivateKey } = {}): Promise<string> {
  const { token } = await signPlanToken({
    privateKey: o.signedBy ?? keys.privateKey,
    database,
    schemaFingerprint: o.schema ?? (await liveFingerprint(database)),
    statementFingerprints: scriptFingerprints(sql),
    ttlSeconds: o.ttlSeconds ?? 600,
  });
  return token;
}
