/**
 * `tripwire plan keygen|sign|verify` through the real binary (dist/cli/main.js, built by
 * `npm run build`): files and permissions, a token the library verifies, and one-line exit-2 errors.
 */
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogFromSql, loadInspector } from '../../../src/inspector/index.js';
import { MemoryTokenUsage, readPublicKeys, schemaFingerprint, scriptFingerprints, verifyPlanToken } from '../../../src/policy/tokens/index.js';
import { tempDir } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
const MIGRATION = 'BEGIN;\nALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;\nCOMMIT;\n';
const SCHEMA = 'CREATE TABLE customers (id int PRIMARY KEY, phone text);\n';

function plan(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'plan', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TRIPWIRE_UPSTREAM: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A configuration error: exit 2 and exactly one line on stderr that matches. */
function failsWith(t: Test, r: ReturnType<typeof plan>, message: RegExp, what: string): void {
  t.equal(r.code, 2, `${what}: exit 2`);
  t.match(r.stderr, message, `${what}: says why`);
  t.equal(r.stderr.trimEnd().split('\n').length, 1, `${what}: one line (${r.stderr.trimEnd()})`);
  t.equal(r.stdout, '', `${what}: nothing on stdout`);
}

// About 30 processes, each loading the whole CLI: on a busy 2-core machine that outlasts tap's default.
t.setTimeout(600_000);

t.before(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  await loadInspector();
});

t.test('keygen --out DIR writes the pair, 0600 private, and prints the key id', async (t) => {
  const dir = tempDir(t);
  const r = plan('keygen', '--out', dir);
  t.equal(r.code, 0, r.stderr);
  const priv = join(dir, 'tripwire-plan.key');
  const pub = join(dir, 'tripwire-plan.pub.pem');
  t.match(readFileSync(priv, 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  t.match(readFileSync(pub, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
  t.equal(statSync(priv).mode & 0o777, 0o600);
  const kid = /key id:\s+(\S+)/.exec(r.stdout)?.[1];
  t.same([...(await readPublicKeys(pub)).byKid.keys()], [kid], 'the printed id is the key id');
  failsWith(t, plan('keygen', '--out', dir), /tripwire-plan\.key already exists: .*never overwrites/, 'a second keygen into the same place');
  failsWith(t, plan('keygen', '--out', join(dir, 'no', 'such', 'dir')), /cannot write keys: ENOENT/, 'a directory that does not exist');
});

t.test('keygen --private/--public write exactly there', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'secret'));
  const r = plan('keygen', '--private', join(dir, 'secret', 'signer.pem'), '--public', join(dir, 'proxy.pem'));
  t.equal(r.code, 0, r.stderr);
  t.equal(statSync(join(dir, 'secret', 'signer.pem')).mode & 0o777, 0o600);
  t.ok(existsSync(join(dir, 'proxy.pem')));
  t.notOk(existsSync(join(dir, 'tripwire-plan.key')), 'nothing at the default name');
});

t.test('sign prints a token that covers every statement of the file; verify prints its claims', async (t) => {
  const dir = tempDir(t);
  t.equal(plan('keygen', '--out', dir).code, 0);
  const file = join(dir, 'migration.sql');
  writeFileSync(file, MIGRATION);
  const signed = plan('sign', '--database', 'crm', '--key', join(dir, 'tripwire-plan.key'), '--schema-fingerprint', 'abc123', '--ttl', '2h', file);
  t.equal(signed.code, 0, signed.stderr);
  const token = signed.stdout.trim();
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'one compact JWS on stdout');
  t.equal(signed.stdout, `${token}\n`, 'and nothing else');
  const statements = scriptFingerprints(MIGRATION);
  t.equal(statements.length, 2, 'BEGIN and COMMIT are not signed');
  const keys = await readPublicKeys(join(dir, 'tripwire-plan.pub.pem'));
  for (const statement of statements) {
    const result = await verifyPlanToken(token, { keys, database: 'crm', liveSchemaFingerprint: 'abc123', statementFingerprint: statement, usage: new MemoryTokenUsage() });
    t.ok(result.ok, 'the library accepts it for each planned statement');
  }
  const verified = plan('verify', '--key', join(dir, 'tripwire-plan.pub.pem'), token);
  t.equal(verified.code, 0, verified.stderr);
  const claims = JSON.parse(verified.stdout);
  t.match(claims, { db: 'crm', schema: 'abc123', stmts: statements, iss: 'tripwire' });
  t.equal(claims.exp - claims.iat, 7200, '--ttl 2h');
  t.match(claims.jti, /^[0-9a-f-]{36}$/);
  const viaDir = plan('verify', '--key', dir, token);
  t.equal(viaDir.code, 0, 'verify with the directory of public keys');
});

t.test('sign --schema FILE binds the token to the schema the inspector builds from that file', async (t) => {
  const dir = tempDir(t);
  t.equal(plan('keygen', '--out', dir).code, 0);
  writeFileSync(join(dir, 'm.sql'), MIGRATION);
  writeFileSync(join(dir, 'schema.sql'), SCHEMA);
  const signed = plan('sign', '--database', 'crm', '--key', join(dir, 'tripwire-plan.key'), '--schema', join(dir, 'schema.sql'), join(dir, 'm.sql'));
  t.equal(signed.code, 0, signed.stderr);
  const claims = JSON.parse(plan('verify', '--key', join(dir, 'tripwire-plan.pub.pem'), signed.stdout.trim()).stdout);
  t.equal(claims.schema, schemaFingerprint(catalogFromSql(SCHEMA).catalog));
  t.equal(claims.exp - claims.iat, 3600, 'an hour by default');
  writeFileSync(join(dir, 'broken.sql'), 'CREATE TABLE (;\n');
  failsWith(t, plan('sign', '--database', 'crm', '--key', join(dir, 'tripwire-plan.key'), '--schema', join(dir, 'broken.sql'), join(dir, 'm.sql')), /broken\.sql:1 does not parse/, 'a schema file that does not parse');
});

t.test('verify refuses a token it cannot trust, in one line', async (t) => {
  const dir = tempDir(t);
  const other = join(dir, 'other');
  mkdirSync(other);
  t.equal(plan('keygen', '--out', dir).code, 0);
  t.equal(plan('keygen', '--out', other).code, 0);
  writeFileSync(join(dir, 'm.sql'), MIGRATION);
  const token = plan('sign', '--database', 'crm', '--key', join(dir, 'tripwire-plan.key'), '--schema-fingerprint', 'x', join(dir, 'm.sql')).stdout.trim();
  failsWith(t, plan('verify', '--key', join(other, 'tripwire-plan.pub.pem'), token), /plan token is not valid \(no configured public key has id/, 'another key');
  failsWith(t, plan('verify', '--key', join(dir, 'tripwire-plan.pub.pem'), 'not-a-token'), /not a JWS token/, 'garbage');
  const expired = plan('sign', '--database', 'crm', '--key', join(dir, 'tripwire-plan.key'), '--schema-fingerprint', 'x', '--ttl', '0s', join(dir, 'm.sql')).stdout.trim();
  await new Promise((r) => setTimeout(r, 1100));
  failsWith(t, plan('verify', '--key', join(dir, 'tripwire-plan.pub.pem'), expired), /expired at .*sign a new one/, 'expired');
});

t.test('missing or unusable keys and inputs: one clear line, exit 2', async (t) => {
  const dir = tempDir(t);
  t.equal(plan('keygen', '--out', dir).code, 0);
  const key = join(dir, 'tripwire-plan.key');
  const pub = join(dir, 'tripwire-plan.pub.pem');
  const m = join(dir, 'm.sql');
  writeFileSync(m, MIGRATION);
  const sign = (...args: string[]) => plan('sign', '--database', 'crm', ...args);
  failsWith(t, sign('--key', join(dir, 'nope.key'), '--schema-fingerprint', 'x', m), /cannot read plan key .*nope\.key/, 'a missing private key');
  failsWith(t, sign('--key', dir, '--schema-fingerprint', 'x', m), /cannot read plan key .*EISDIR/, 'a directory as the private key');
  failsWith(t, sign('--key', pub, '--schema-fingerprint', 'x', m), /tripwire-plan\.pub\.pem is not an Ed25519 private key/, 'the public key as the private key');
  failsWith(t, plan('verify', '--key', join(dir, 'nope.pem'), 'a.b.c'), /cannot read plan key .*nope\.pem/, 'a missing public key');
  failsWith(t, plan('verify', '--key', key, 'a.b.c'), /tripwire-plan\.key is not an Ed25519 public key/, 'the private key as the public key');
  failsWith(t, sign('--key', key, m), /give --upstream .*--schema FILE or --schema-fingerprint/, 'no schema to bind to');
  failsWith(t, sign('--key', key, '--schema-fingerprint', 'x', '--schema', m, m), /only one of --schema-fingerprint and --schema/, 'two schemas');
  failsWith(t, sign('--key', key, '--schema-fingerprint', 'x', '--ttl', 'soon', m), /--ttl must look like/, 'a bad --ttl');
  failsWith(t, sign('--key', key, '--schema-fingerprint', 'x', join(dir, 'missing.sql')), /cannot read .*missing\.sql/, 'a missing migration');
  writeFileSync(join(dir, 'empty.sql'), '-- nothing yet\n');
  failsWith(t, sign('--key', key, '--schema-fingerprint', 'x', join(dir, 'empty.sql')), /empty\.sql has no statements to sign/, 'a migration with no statements');
  writeFileSync(join(dir, 'bad.sql'), 'DROP TABLE;\n');
  failsWith(t, sign('--key', key, '--schema-fingerprint', 'x', join(dir, 'bad.sql')), /bad\.sql does not parse/, 'a migration that does not parse');
});
