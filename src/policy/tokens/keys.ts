import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI } from 'jose';
import { TripwireError } from '../../errors.js';

export const PLAN_ALG = 'EdDSA';

type Key = import('jose').CryptoKey;

export interface PlanPublicKeys {
  /** By key id (the RFC 7638 thumbprint of the public key). */
  readonly byKid: ReadonlyMap<string, Key>;
}

export interface PlanPrivateKey {
  readonly kid: string;
  readonly key: Key;
}

async function kidOf(publicKey: Key): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(publicKey));
}

function unreadable(path: string, cause: unknown): TripwireError {
  return new TripwireError('TW_CONFIG_INVALID', { detail: `cannot read plan key ${path}: ${(cause as Error).message}` }, { cause });
}

/**
 * A new Ed25519 pair, written as PEM: the private key readable by its owner only. Existing files
 * are never overwritten (flag `wx`): that would lose a key in use, and `mode` applies only to a
 * file being created, so an old world-readable file would keep its permissions.
 */
export async function writeKeyPair(privatePath: string, publicPath: string): Promise<string> {
  for (const path of [privatePath, publicPath]) {
    if (existsSync(path)) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${path} already exists: tripwire plan keygen never overwrites a key` });
  }
  const { privateKey, publicKey } = await generateKeyPair(PLAN_ALG, { crv: 'Ed25519', extractable: true });
  writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600, flag: 'wx' });
  writeFileSync(publicPath, await exportSPKI(publicKey), { mode: 0o644, flag: 'wx' });
  return kidOf(publicKey);
}

export async function readPrivateKey(path: string): Promise<PlanPrivateKey> {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw unreadable(path, err);
  }
  try {
    const key = await importPKCS8(pem, PLAN_ALG, { extractable: true });
    // A thumbprint uses only the public members (kty, crv, x), so the private JWK gives the same kid.
    return { kid: await calculateJwkThumbprint(await exportJWK(key)), key };
  } catch (err) {
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `${path} is not an Ed25519 private key in PEM (PKCS8): ${(err as Error).message}` }, { cause: err });
  }
}

/** One PEM file, or every *.pem in a directory (several keys: rotation). */
export async function readPublicKeys(path: string): Promise<PlanPublicKeys> {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path).filter((f) => f.endsWith('.pem')).sort().map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw unreadable(path, err);
  }
  const byKid = new Map<string, Key>();
  for (const file of files) {
    let key: Key;
    try {
      key = await importSPKI(readFileSync(file, 'utf8'), PLAN_ALG, { extractable: true });
    } catch (err) {
      throw new TripwireError('TW_CONFIG_INVALID', { detail: `${file} is not an Ed25519 public key in PEM (SPKI): ${(err as Error).message}` }, { cause: err });
    }
    byKid.set(await kidOf(key), key);
  }
  if (byKid.size === 0) throw new TripwireError('TW_CONFIG_INVALID', { detail: `no *.pem public keys in ${path}` });
  return { byKid };
}
