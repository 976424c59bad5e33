import t from 'tap';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, importSPKI } from 'jose';
import { TripwireError } from '../../../src/errors.js';
import { readPrivateKey, readPublicKeys, writeKeyPair } from '../../../src/policy/tokens/index.js';
import { pairIn, tempDir } from './fixtures.js';

t.test('a key pair is PEM: PKCS8 private readable by its owner only, SPKI public', async (t) => {
  const dir = tempDir(t);
  const pair = await pairIn(dir, 'plan');
  t.match(readFileSync(pair.privatePath, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n?$/);
  t.match(readFileSync(pair.publicPath, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n?$/);
  t.equal(statSync(pair.privatePath).mode & 0o777, 0o600, 'private key is 0600');
});

t.test('the key id is the RFC 7638 thumbprint of the public key, the same from either half', async (t) => {
  const pair = await pairIn(tempDir(t), 'plan');
  const jwk = await exportJWK(await importSPKI(readFileSync(pair.publicPath, 'utf8'), 'EdDSA', { extractable: true }));
  t.equal(jwk.crv, 'Ed25519');
  t.equal(pair.kid, await calculateJwkThumbprint(jwk));
  t.equal(pair.privateKey.kid, pair.kid, 'read from the private key');
  const keys = await readPublicKeys(pair.publicPath);
  t.same([...keys.byKid.keys()], [pair.kid], 'read from the public key');
  const other = await pairIn(pair.dir, 'other');
  t.not(other.kid, pair.kid, 'another pair has another id');
});

t.test('keygen never overwrites a key, so an old file cannot keep looser permissions', async (t) => {
  const dir = tempDir(t);
  const privatePath = join(dir, 'plan.key');
  writeFileSync(privatePath, 'an old key', { mode: 0o644 });
  await t.rejects(writeKeyPair(privatePath, join(dir, 'plan.pem')), { code: 'TW_CONFIG_INVALID', message: /already exists/ });
  t.equal(readFileSync(privatePath, 'utf8'), 'an old key', 'untouched');
  const pair = await pairIn(dir, 'fresh');
  await t.rejects(writeKeyPair(join(dir, 'new.key'), pair.publicPath), /already exists/);
  t.throws(() => statSync(join(dir, 'new.key')), 'nothing half-written when the public path is taken');
});

t.test('a directory of *.pem public keys: every key, by its id (rotation)', async (t) => {
  const dir = tempDir(t);
  const keysDir = join(dir, 'public');
  mkdirSync(keysDir);
  const a = await pairIn(dir, 'a');
  const b = await pairIn(dir, 'b');
  writeFileSync(join(keysDir, 'a.pem'), readFileSync(a.publicPath));
  writeFileSync(join(keysDir, 'b.pem'), readFileSync(b.publicPath));
  writeFileSync(join(keysDir, 'README.txt'), 'not a key, and not *.pem: ignored');
  const keys = await readPublicKeys(keysDir);
  t.same([...keys.byKid.keys()].sort(), [a.kid, b.kid].sort());
});

t.test('missing, unreadable or wrong key files are configuration errors that name the file', async (t) => {
  const dir = tempDir(t);
  const pair = await pairIn(dir, 'plan');
  const missing = join(dir, 'nope.pem');
  await t.rejects(readPublicKeys(missing), { code: 'TW_CONFIG_INVALID', message: new RegExp(`cannot read plan key ${missing}`) });
  await t.rejects(readPrivateKey(missing), { code: 'TW_CONFIG_INVALID', message: /cannot read plan key .*nope\.pem/ });
  await t.rejects(readPublicKeys(pair.privatePath), { code: 'TW_CONFIG_INVALID', message: /plan\.key is not an Ed25519 public key/ });
  await t.rejects(readPrivateKey(pair.publicPath), { code: 'TW_CONFIG_INVALID', message: /plan\.pem is not an Ed25519 private key/ });
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  await t.rejects(readPublicKeys(empty), { code: 'TW_CONFIG_INVALID', message: /no \*\.pem public keys/ });
  const err = await readPrivateKey(missing).catch((e: unknown) => e);
  t.ok(err instanceof TripwireError && err.cause instanceof Error, 'keeps its cause');
});
