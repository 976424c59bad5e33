/**
 * The story of the seed, played against a running `tripwire serve`: the generated "rename" held,
 * the split planned schema first, a stale branch sent back to rebase, the rehearsal on staging,
 * and the release held until every check is green. Every message printed is tripwire's own.
 */
import pg from 'pg';
import { runSql } from '../run-sql.js';
import { ShipApiError, ShipClient } from '../cli/ship-client.js';
import type { RehearsalRun } from '../queue/rehearsal-runs.js';
import type { ChangeView, ReleaseResult } from '../queue/ship-queue.js';
import { APP_BRANCH, GENERATED_RENAME, LIVE_MAIN, OLD_MAIN, PARALLEL_BRANCH, SPLIT_BRANCH, TABLE_SPLIT } from './migrations.js';

export interface StoryEnv {
  adminUrl: string;
  /** DATABASE_URL through the proxy, for crm_production. */
  databaseUrl: string;
  /** Direct to the server, to show what the data looks like (never through the proxy). */
  productionUrl: string;
  keys: { ci: string; approver: string };
  target: string;
  say(line?: string): void;
}

const n = (x: number) => x.toLocaleString('en-US');

async function count(url: string, sql: string): Promise<number> {
  return Number((await runSql<{ n: string }>(url, sql))[0]!.n);
}

function checkLines(view: { checks: ChangeView['checks'] }, say: StoryEnv['say'], indent = '     '): void {
  for (const [name, c] of Object.entries(view.checks ?? {})) say(`${indent}${name.padEnd(10)} ${c.state.padEnd(8)} ${c.reason}`);
}

async function release(api: ShipClient, id: number, say: StoryEnv['say']): Promise<ReleaseResult | null> {
  try {
    return await api.request<ReleaseResult>('POST', `/api/changes/${id}/release`);
  } catch (err) {
    if (!(err instanceof ShipApiError) || err.api.code !== 'TW_RELEASE_REFUSED') throw err;
    say(`   POST /api/changes/${id}/release → ${err.api.status} ${err.api.code}`);
    const checks = (err.api.details as { checks?: ChangeView['checks'] } | undefined)?.checks;
    if (checks) checkLines({ checks }, say);
    return null;
  }
}

async function until<T>(probe: () => Promise<T | null>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error('the demo waited too long for tripwire');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** 1. The ORM's "rename" runs through the proxy, in one transaction as a runner sends it. */
async function heldRename(env: StoryEnv): Promise<void> {
  const { say } = env;
  say('1. The generated "rename" that is really a drop');
  say('   The ORM generated this migration for "rename customers.phone":');
  for (const line of GENERATED_RENAME.split('\n')) say(`     ${line}`);
  const app = new pg.Client({ connectionString: env.databaseUrl, application_name: 'migrate' });
  await app.connect();
  try {
    await app.query('BEGIN');
    await app.query(GENERATED_RENAME);
    await app.query('COMMIT');
    say('   it ran (this should not happen)');
  } catch (err) {
    const e = err as { message: string; code?: string; detail?: string };
    await app.query('ROLLBACK');
    say(`   ERROR ${e.code}: ${e.message}`);
  } finally {
    await app.end();
  }
  say(`   afterwards: ${n(await count(env.productionUrl, 'SELECT count(phone) AS n FROM customers'))} customers still have their phone number`);
  say();
}

/** 2. The fixed split and the app change that reads the new table go into the queue. */
async function planned(env: StoryEnv, ci: ShipClient): Promise<{ split: ChangeView; app: ChangeView }> {
  const { say } = env;
  say('2. The fixed split is submitted, and the plan puts the schema first, then the code');
  await ci.request('POST', '/api/deploys', { target: env.target, revision: LIVE_MAIN });
  say(`   POST /api/deploys: ${LIVE_MAIN} is live on ${env.target}`);
  const split = await ci.request<ChangeView>('POST', '/api/changes', {
    title: 'Split customers.phone into customer_phones',
    author: 'noor',
    revision: SPLIT_BRANCH,
    baseRevision: LIVE_MAIN,
    kind: 'schema',
    target: env.target,
    migrations: TABLE_SPLIT,
  });
  say(`   #${split.change.id} ${split.change.title} (schema: ${split.change.migrations.map((m) => m.name).join(', ')})`);
  for (const f of split.change.findings.filter((x) => x.severity === 'block')) say(`     lint: ${f.rule} at ${f.migration}:${f.line}: ${f.message}`);
  const app = await ci.request<ChangeView>('POST', '/api/changes', {
    title: 'CRM app reads phones from customer_phones',
    author: 'noor',
    revision: APP_BRANCH,
    baseRevision: LIVE_MAIN,
    kind: 'code',
    target: env.target,
    migrations: [],
    dependsOn: [split.change.id],
    requires: ['001_create_customer_phones.sql'],
    reads: ['public.customer_phones.phone', 'public.customer_phones.customer_id', 'public.customers.name'],
  });
  say(`   #${app.change.id} ${app.change.title} (code, submitted at the same time)`);
  const plan = await ci.request<{ plan: Array<{ order: Array<{ position: number; id: number; title: string; reason: string }> }> }>('GET', `/api/plan?target=${env.target}`);
  say('   GET /api/plan:');
  for (const e of plan.plan[0]?.order ?? []) say(`     ${e.position}. #${e.id} ${e.title}: ${e.reason}`);
  say();
  return { split, app };
}

/** 3. A branch cut from an older main cannot land on top of what is live. */
async function staleBranch(env: StoryEnv, ci: ShipClient): Promise<void> {
  const { say } = env;
  say('3. A parallel branch on the old base is forced to rebase');
  const stale = await ci.request<ChangeView>('POST', '/api/changes', {
    title: 'Add a VIP flag (from a parallel session)',
    author: 'ai-session-2',
    revision: 'b5d9e2f71a04',
    baseRevision: OLD_MAIN,
    kind: 'schema',
    target: env.target,
    migrations: PARALLEL_BRANCH,
  });
  say(`   #${stale.change.id} ${stale.change.title}, built on ${OLD_MAIN}: ${stale.change.status}`);
  await release(ci, stale.change.id, say);
  say();
}

/** 4. The split runs on staging; tripwire checks every value is still somewhere. */
async function rehearsed(env: StoryEnv, ci: ShipClient, id: number): Promise<RehearsalRun> {
  const { say } = env;
  say('4. The rehearsal on staging proves the data survived');
  say(`   POST /api/changes/${id}/rehearse (crm_staging, a copy of production)`);
  const started = await ci.request<{ rehearsal: RehearsalRun }>('POST', `/api/changes/${id}/rehearse`, {});
  let shown = 0;
  let run = started.rehearsal;
  for (;;) {
    for (const p of run.progress.slice(shown)) say(`     [${p.step}] ${p.message}`);
    shown = run.progress.length;
    if (run.state !== 'running') break;
    await new Promise((r) => setTimeout(r, 100));
    run = (await ci.request<{ rehearsal: RehearsalRun }>('GET', `/api/changes/${id}/rehearsal`)).rehearsal;
  }
  if (run.state === 'failed') throw new Error(`the rehearsal could not run: ${run.error}`);
  say(`   rehearsal ${run.state}: ${run.summary}`);
  say();
  return run;
}

/** 5. Release only when green; the runner then goes through the proxy with nothing in its URL. */
async function released(env: StoryEnv, ci: ShipClient, approver: ShipClient, split: number, app: number): Promise<void> {
  const { say } = env;
  say('5. The release is held until every check is green, then the migration runs on production');
  await release(ci, split, say);
  await approver.request('POST', `/api/changes/${split}/approve`, { comment: 'split reviewed: every phone is copied before the drop' });
  say(`   sam (approver) approves #${split}`);
  const ok = await release(ci, split, say);
  if (!ok) throw new Error(`change ${split} was not released`);
  say(`   POST /api/changes/${split}/release → released; plan token ${ok.token?.id} covers ${ok.token?.statements} statement(s), published to the proxy`);
  say(`   the migration runner (DATABASE_URL=${env.databaseUrl}, nothing added) runs ${TABLE_SPLIT.length} files:`);
  const runner = new pg.Client({ connectionString: env.databaseUrl, application_name: 'migrate' });
  runner.on('notice', (msg) => say(`     NOTICE: ${msg.message}`));
  await runner.connect();
  try {
    for (const m of TABLE_SPLIT) {
      await runner.query('BEGIN');
      await runner.query(m.sql);
      await runner.query('COMMIT');
      say(`     ${m.name}: done`);
    }
  } finally {
    await runner.end();
  }
  const applied = await until(async () => {
    const v = await ci.request<ChangeView>('GET', `/api/changes/${split}`);
    return v.change.status === 'applied' ? v : null;
  });
  say(`   #${split}: ${applied.change.status} (${applied.change.statusReason})`);
  const code = await release(ci, app, say);
  if (!code) throw new Error(`change ${app} was not released`);
  say(`   #${app} (the code) released now that its schema is applied; order: ${code.checks?.order.reason ?? 'green'}`);
  await ci.request('POST', '/api/deploys', { target: env.target, revision: APP_BRANCH, changes: [app] });
  say(`   POST /api/deploys: ${APP_BRANCH} is live`);
  const phones = await count(env.productionUrl, 'SELECT count(*) AS n FROM customer_phones');
  const column = await count(env.productionUrl, "SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'phone'");
  const customers = await count(env.productionUrl, 'SELECT count(*) AS n FROM customers');
  say(`   production: ${n(phones)} phone numbers in customer_phones, ${n(customers)} customers, customers.phone ${column === 0 ? 'dropped' : 'still there'}`);
  say();
}

export async function playStory(env: StoryEnv): Promise<void> {
  const ci = new ShipClient({ api: env.adminUrl, key: env.keys.ci });
  const approver = new ShipClient({ api: env.adminUrl, key: env.keys.approver });
  await heldRename(env);
  const { split, app } = await planned(env, ci);
  await staleBranch(env, ci);
  await rehearsed(env, ci, split.change.id);
  await released(env, ci, approver, split.change.id, app.change.id);
}
