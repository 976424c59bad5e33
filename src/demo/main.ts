#!/usr/bin/env node
/**
 * `npm run demo`: an embedded PostgreSQL with a small CRM, tripwire's proxy in front of it, and a
 * short walk through it. `--keep` leaves both running so you can connect with psql.
 */
import pg from 'pg';
import { parseUpstreamUrl } from '../config/upstream.js';
import { DEFAULT_LIMITS } from '../proxy/limits.js';
import { startProxy } from '../proxy/server.js';
import { createLogger } from '../logger.js';
import { createEnforcementStack, type EnforcementStack } from '../enforce/stack.js';
import { planTokensFromKeys, schemaFingerprint } from '../enforce/token-gate.js';
import { startEmbeddedCluster } from './embedded-cluster.js';
import { seedCrm } from './crm-fixture.js';

const keep = process.argv.includes('--keep');
const say = (line = '') => process.stdout.write(line + '\n');

async function main(): Promise<void> {
  say('pg-tripwire demo');
  say('1. starting an embedded PostgreSQL with crm_production …');
  const cluster = await startEmbeddedCluster();
  const cleanup = async () => {
    await proxy?.close({ timeoutMs: 2000 });
    await stack?.close();
    await cluster.stop();
  };
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  let stack: EnforcementStack | undefined;
  try {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE crm_production');
    await admin.end();
    await seedCrm(cluster.url('crm_production'), 10_000);

    say('2. starting tripwire in front of it, enforcing the default policy …');
    const logger = createLogger(keep ? 'info' : 'silent');
    const upstream = parseUpstreamUrl(cluster.url('postgres'));
    const limits = { ...DEFAULT_LIMITS };
    stack = await createEnforcementStack({
      upstream,
      limits,
      tokens: await planTokensFromKeys(undefined),
      fingerprint: schemaFingerprint,
      audit: keep ? '-' : { record: () => undefined, close: async () => undefined },
      logger,
    });
    proxy = await startProxy(
      { listen: { host: '127.0.0.1', port: Number(process.env.TRIPWIRE_DEMO_PORT ?? 0) }, upstream, limits },
      { logger, interceptor: stack.interceptor },
    );
    const databaseUrl = `postgres://postgres:demo@127.0.0.1:${proxy.address.port}/crm_production`;
    say(`   DATABASE_URL=${databaseUrl}`);

    say('3. an app query through the proxy:');
    const app = new pg.Client({ connectionString: databaseUrl, application_name: 'crm-app' });
    await app.connect();
    const { rows } = await app.query<{ customers: number; with_phone: number }>(
      'SELECT count(*)::int AS customers, count(phone)::int AS with_phone FROM customers',
    );
    say(`   ${rows[0]!.customers.toLocaleString('en-US')} customers, ${rows[0]!.with_phone.toLocaleString('en-US')} with a phone number`);

    say('4. the migration an ORM generated for "rename phone" runs through the proxy:');
    const migration = 'ALTER TABLE customers DROP COLUMN phone;\nALTER TABLE customers ADD COLUMN phone text;';
    for (const line of migration.split('\n')) say(`     ${line}`);
    try {
      await app.query('BEGIN');
      await app.query(migration);
      await app.query('COMMIT');
      say('   it ran (this should not happen)');
    } catch (err) {
      const e = err as { message: string; code?: string };
      await app.query('ROLLBACK');
      say(`   ERROR ${e.code}: ${e.message}`);
    }
    const after = await app.query<{ with_phone: number }>('SELECT count(phone)::int AS with_phone FROM customers');
    say(`   afterwards: ${after.rows[0]!.with_phone.toLocaleString('en-US')} customers still have their phone number`);
    await app.end();

    if (keep) {
      say();
      say(`Running. Try: psql "${databaseUrl}"`);
      say('Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
  } finally {
    await cleanup();
  }
  say('done: everything the demo started has stopped.');
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
