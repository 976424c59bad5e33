import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPrivateKey, writeKeyPair, type PlanPrivateKey } from '../../../src/policy/tokens/index.js';

export interface Pair {
  dir: string;
  privatePath: string;
  publicPath: string;
  kid: string;
  privateKey: PlanPrivateKey;
}

/** A temporary directory, removed when the test ends. */
export function tempDir(t: { teardown(fn: () => unknown): void }, prefix = 'tw-tokens-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh Ed25519 pair written as PEM into `dir` (named `name.key` / `name.pem`). */
export async function pairIn(dir: string, name: string): Promise<Pair> {
  const privatePath = join(dir, `${name}.key`);
  const publicPath = join(dir, `${name}.pem`);
  const kid = await writeKeyPair(privatePath, publicPath);
  return { dir, privatePath, publicPath, kid, privateKey: await readPrivateKey(privatePath) };
}
