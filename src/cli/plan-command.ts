import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import pg from 'pg';
import { readCatalog } from '../catalog/read-catalog.js';
import { parseUpstreamUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { loadInspector } from '../inspector/index.js';
import { decodeJwt } from 'jose';
import { MemoryTokenUsage, readPrivateKey, readPublicKeys, schemaFingerprint, scriptFingerprints, signPlanToken, verifyPlanToken, writeKeyPair } from '../policy/tokens/index.js';

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
    .action(async (o: { out: string }) => {
      const priv = join(o.out, 'tripwire-plan.key');
      const pub = join(o.out, 'tripwire-plan.pub.pem');
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
    .option('--ttl <duration>', 'how long the token is valid', '1h')
    .action(async (file: string, o: { database: string; key: string; upstream?: string; schemaFingerprint?: string; ttl: string }) => {
      await loadInspector();
      const sql = readSql(file);
      let statements: string[];
      try {
        statements = scriptFingerprints(sql);
      } catch (err) {
        throw new TripwireError('TW_CONFIG_INVALID', { detail: `${file} does not parse: ${(err as Error).message}` }, { cause: err });
      }
      if (!o.schemaFingerprint && !o.upstream) throw new TripwireError('TW_CONFIG_INVALID', { detail: 'give --upstream (to read the live schema) or --schema-fingerprint' });
      const schema = o.schemaFingerprint ?? (await liveFingerprint(o.upstream!, o.database));
      const { token } = await signPlanToken({
        privateKey: await readPrivateKey(o.key),
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
      const keys = await readPublicKeys(o.key);
      const claims = decodeJwt(token);
      const result = await verifyPlanToken(token, {
        keys,
        database: String(claims.db ?? ''),
        liveSchemaFingerprint: String(claims.schema ?? ''),
        statementFingerprint: String((claims.stmts as string[] | undefined)?.[0] ?? ''),
        usage: new MemoryTokenUsage(),
      });
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

async function writeKeys(priv: string, pub: string): Promise<string> {
  try {
    return await writeKeyPair(priv, pub);
  } catch (err) {
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `cannot write keys: ${(err as Error).message}` }, { cause: err });
  }
}
