import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import pg from 'pg';
import { readCatalog } from '../catalog/read-catalog.js';
import { parseUpstreamUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { catalogFromSql, loadInspector } from '../inspector/index.js';
import { readPrivateKey, readPublicKeys, schemaFingerprint, scriptFingerprints, signPlanToken, verifyPlanSignature, writeKeyPair } from '../policy/tokens/index.js';

function duration(raw: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(raw.trim());
  if (!m) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--ttl must look like 30m, 2h or 1d, got ${JSON.stringify(raw)}` });
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
}

/** The schema fingerprint of `database` as the proxy computes it: from the live catalog. */
async function liveFingerprint(upstreamUrl: string, database: string): Promise<string> {
  const u = parseUpstreamUrl(upstreamUrl);
  const client = new pg.Client({ host: u.host, port: u.port, user: u.user ?? 'postgres', ...(u.password ? { password: u.password } : {}), database, application_name: 'tripwire plan' });
  try {
    await client.connect();
    return schemaFingerprint(await readCatalog(client));
  } catch (err) {
    if (err instanceof TripwireError) throw err;
    throw new TripwireError('TW_UPSTREAM_UNREACHABLE', { address: `${u.host}:${u.port}`, detail: (err as Error).message }, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function readSql(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `cannot read ${path}: ${(err as Error).message}` }, { cause: err });
  }
}

export function registerPlanCommand(program: Command): void {
  const plan = program.command('plan').description('make keys and plan tokens that authorize exactly the planned statements');

  plan
    .command('keygen')
    .description('write an Ed25519 key pair: the private key signs plans, the public key goes to every proxy')
    .option('--out <dir>', 'directory for tripwire-plan.key and tripwire-plan.pub.pem', '.')
    .option('--private <path>', 'where to write the private key (instead of DIR/tripwire-plan.key)')
    .option('--public <path>', 'where to write the public key (instead of DIR/tripwire-plan.pub.pem)')
    .action(async (o: { out: string; private?: string; public?: string }) => {
      const priv = o.private ?? join(o.out, 'tripwire-plan.key');
      const pub = o.public ?? join(o.out, 'tripwire-plan.pub.pem');
      const kid = await writeKeys(priv, pub);
      process.stdout.write(`private key: ${priv} (keep it on the admin side only)\npublic key:  ${pub} (give it to proxies: --plan-public-key)\nkey id:      ${kid}\n`);
    });

  plan
    .command('sign')
    .description('sign a plan token for the statements of a migration file')
    .argument('<migration.sql>', 'the migration, exactly as it will run (- for stdin)')
    .requiredOption('--database <name>', 'the database it will run against')
    .requiredOption('--key <private.pem>', 'the private key from `tripwire plan keygen`')
    .addOption(new Option('--upstream <url>', 'server to read the live schema fingerprint from').env('TRIPWIRE_UPSTREAM'))
    .option('--schema-fingerprint <fp>', 'the schema fingerprint to bind to, instead of reading it live')
    .option('--schema <file>', 'SQL that creates the schema the plan is for (e.g. pg_dump --schema-only), instead of reading it live')
    .option('--ttl <duration>', 'how long the token is valid', '1h')
    .action(async (file: string, o: { database: string; key: string; upstream?: string; schemaFingerprint?: string; schema?: string; ttl: string }) => {
      await loadInspector();
      // The key first: a missing or unreadable key should fail before anything connects anywhere.
      const privateKey = await readPrivateKey(o.key);
      const sql = readSql(file);
      let statements: string[];
      try {
        statements = scriptFingerprints(sql);
      } catch (err) {
        throw new TripwireError('TW_CONFIG_INVALID', { detail: `${file} does not parse: ${(err as Error).message}` }, { cause: err });
      }
      if (statements.length === 0) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${file} has no statements to sign` });
      const schema = await planSchema(o);
      const { token } = await signPlanToken({
        privateKey,
        database: o.database,
        schemaFingerprint: schema,
        statementFingerprints: statements,
        ttlSeconds: duration(o.ttl),
      });
      process.stdout.write(token + '\n');
    });

  plan
    .command('verify')
    .description('check a token against a public key and print its claims')
    .argument('<token>')
    .requiredOption('--key <public.pem|dir>', 'public key(s)')
    .action(async (token: string, o: { key: string }) => {
      // Only what the token itself can show: the database, schema and statements are the proxy's to check.
      const result = await verifyPlanSignature(token.trim(), await readPublicKeys(o.key));
      if (!result.ok) throw result.error;
      process.stdout.write(JSON.stringify(result.claims, null, 2) + '\n');
    });

  plan
    .command('fingerprint')
    .description('print the live schema fingerprint of a database, as the proxy computes it')
    .requiredOption('--database <name>', 'the database')
    .addOption(new Option('--upstream <url>', 'the server').env('TRIPWIRE_UPSTREAM').makeOptionMandatory())
    .action(async (o: { database: string; upstream: string }) => {
      process.stdout.write((await liveFingerprint(o.upstream, o.database)) + '\n');
    });
}

/** The schema fingerprint to bind to: given, built from a schema file, or read live. */
async function planSchema(o: { database: string; upstream?: string; schemaFingerprint?: string; schema?: string }): Promise<string> {
  if (o.schemaFingerprint && o.schema) throw new TripwireError('TW_CONFIG_INVALID', { detail: 'give only one of --schema-fingerprint and --schema' });
  if (o.schemaFingerprint) return o.schemaFingerprint;
  if (o.schema) {
    const { catalog, error } = catalogFromSql(readSql(o.schema));
    if (error) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${o.schema}:${error.line} does not parse: ${error.message}` });
    return schemaFingerprint(catalog);
  }
  if (!o.upstream) throw new TripwireError('TW_CONFIG_INVALID', { detail: 'give --upstream (to read the live schema), --schema FILE or --schema-fingerprint' });
  return liveFingerprint(o.upstream, o.database);
}

async function writeKeys(priv: string, pub: string): Promise<string> {
  try {
    return await writeKeyPair(priv, pub);
  } catch (err) {
    if (err instanceof TripwireError) throw err;
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `cannot write keys: ${(err as Error).message}` }, { cause: err });
  }
}
