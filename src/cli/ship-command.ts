/**
 * `tripwire ship submit|status|deployed|approve|reject|release`: the CI client for the admin API. Human output by
 * default, the API's JSON with --json. Exit 0 on success, 1 when a release is refused (the checks
 * are printed), 2 when the API cannot be reached or refuses the request.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { TripwireError } from '../errors.js';
import type { ChangeView, ReleaseResult } from '../queue/ship-queue.js';
import { ShipApiError, ShipClient } from './ship-client.js';

export interface ApiFlags {
  api: string;
  apiKey?: string;
  json?: boolean;
}

export function withApi(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <url>', 'the admin API').env('TRIPWIRE_API_URL').default('http://127.0.0.1:6433'))
    .addOption(new Option('--api-key <key>', 'an API key (tripwire keys create)').env('TRIPWIRE_API_KEY'))
    .option('--json', "print the API's JSON response");
}

export const client = (f: ApiFlags) => new ShipClient({ api: f.api, ...(f.apiKey ? { key: f.apiKey } : {}) });
const out = (line = ''): void => {
  process.stdout.write(line + '\n');
};

function positiveInt(flag: string) {
  return (raw: string, prev: number[] | number | undefined) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${flag} takes change ids, got ${JSON.stringify(raw)}` });
    return Array.isArray(prev) ? [...prev, n] : n;
  };
}

/** Migration files in the order given; a directory contributes its *.sql files in name order. */
export function readMigrations(paths: readonly string[]): Array<{ name: string; sql: string }> {
  const files: string[] = [];
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) files.push(...readdirSync(p).filter((f) => f.endsWith('.sql')).sort().map((f) => join(p, f)));
      else files.push(p);
    } catch (cause) {
      throw new TripwireError('TW_CONFIG_INVALID', { detail: `cannot read migration ${p}: ${(cause as Error).message}` }, { cause });
    }
  }
  return files.map((f) => ({ name: basename(f), sql: readFileSync(f, 'utf8') }));
}

export function printView(v: ChangeView): void {
  const c = v.change;
  out(`change #${c.id} ${c.title} (${c.kind}, ${c.target}, ${c.revision.slice(0, 12)} on ${c.baseRevision.slice(0, 12)}): ${c.status}${c.statusReason ? ` — ${c.statusReason}` : ''}`);
  if (v.checks) for (const [name, check] of Object.entries(v.checks)) out(`  ${name.padEnd(10)} ${check.state.padEnd(8)} ${check.reason}`);
  for (const f of c.findings.filter((x) => x.severity !== 'info')) out(`  ${f.severity.padEnd(5)} ${f.migration}:${f.line}:${f.column} ${f.rule}: ${f.message}`);
  for (const d of c.discards ?? []) out(`  discards ${d.column}: ${d.reason}`);
  for (const r of v.reviews) out(`  ${r.verdict === 'approve' ? 'approved' : 'rejected'} by ${r.reviewer}${r.comment ? `: ${r.comment}` : ''}`);
  if (v.token) out(`  plan token ${v.token.id}: ${v.token.statements} statement(s), until ${v.token.expiresAt}`);
}

async function submit(paths: string[], f: ApiFlags & Record<string, unknown>): Promise<void> {
  const body = {
    title: f.title,
    author: f.author,
    revision: f.revision,
    baseRevision: f.baseRevision,
    kind: f.kind,
    target: f.target,
    migrations: readMigrations(paths),
    ...(f.dependsOn ? { dependsOn: f.dependsOn } : {}),
    ...(f.requires ? { requires: f.requires } : {}),
    ...(f.reads ? { reads: f.reads } : {}),
    ...(f.discard ? { discards: f.discard } : {}),
    ...(f.supersedes ? { supersedes: f.supersedes } : {}),
  };
  const view = await client(f).request<ChangeView>('POST', '/api/changes', body);
  if (f.json) out(JSON.stringify(view, null, 2));
  else printView(view);
}

function discardFlag(raw: string, previous: Array<{ column: string; reason: string }>): Array<{ column: string; reason: string }> {
  const eq = raw.indexOf('=');
  if (eq <= 0 || !raw.slice(eq + 1).trim()) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--discard must look like public.customers.fax="no longer collected", got ${JSON.stringify(raw)}` });
  return [...previous, { column: raw.slice(0, eq).trim(), reason: raw.slice(eq + 1).trim() }];
}

export function registerShipCommand(program: Command): void {
  const ship = program.command('ship').description('the ship queue, for CI: submit changes, record deploys, release');

  withApi(ship.command('submit').description('submit a change; its migrations are linted against the live target at once').argument('[migrations...]', 'migration files or directories of *.sql'))
    .requiredOption('--title <text>', 'what the change does')
    .requiredOption('--author <name>', 'who wrote it (they cannot approve it)')
    .requiredOption('--revision <sha>', 'the git revision of the change')
    .requiredOption('--base-revision <sha>', 'the revision it was built on')
    .requiredOption('--target <database>', 'the database it changes')
    .addOption(new Option('--kind <kind>', 'schema, code or both').choices(['schema', 'code', 'both']).default('schema'))
    .option('--depends-on <id>', 'a change that must be applied or deployed first (repeatable)', positiveInt('--depends-on'))
    .option('--requires <migration...>', 'for code: migrations that must be applied first')
    .option('--reads <object...>', 'for code: tables and columns it reads (schema.table[.column])')
    .option('--supersedes <id>', 'the change this one resubmits', positiveInt('--supersedes'))
    .option('--discard <column=reason>', 'a column whose values the change means to discard, and why (repeatable)', discardFlag, [])
    .action(async (paths: string[], f: ApiFlags & Record<string, unknown>) => {
      if (typeof f.dependsOn === 'number') f.dependsOn = [f.dependsOn];
      await submit(paths, f);
    });

  withApi(ship.command('status').description('a change with its checks; or, without an id, the release plan').argument('[id]', 'change id'))
    .option('--target <database>', 'only this target (for the plan)')
    .action(async (id: string | undefined, f: ApiFlags & { target?: string }) => {
      if (id !== undefined) {
        const view = await client(f).request<ChangeView>('GET', `/api/changes/${encodeURIComponent(id)}`);
        return f.json ? out(JSON.stringify(view, null, 2)) : printView(view);
      }
      const plan = await client(f).request<{ plan: Array<{ target: string; order: Array<{ position: number; id: number; title: string; status: string; ready: boolean; reason: string }> }> }>(
        'GET',
        `/api/plan${f.target ? `?target=${encodeURIComponent(f.target)}` : ''}`,
      );
      if (f.json) return out(JSON.stringify(plan, null, 2));
      for (const t of plan.plan) {
        out(`${t.target}:`);
        for (const e of t.order) out(`  ${e.position}. #${e.id} ${e.title} [${e.status}${e.ready ? ', ready' : ''}]: ${e.reason}`);
      }
    });

  withApi(ship.command('deployed').description('record what is live: changes on another base turn needs-rebase'))
    .requiredOption('--target <database>', 'the database')
    .requiredOption('--revision <sha>', 'the revision now live')
    .option('--fingerprint <hash>', 'the schema fingerprint you expect (refused if it is not the live one)')
    .option('--change <id>', 'a code change this deploy makes live (repeatable)', positiveInt('--change'))
    .action(async (f: ApiFlags & { target: string; revision: string; fingerprint?: string; change?: number | number[] }) => {
      const changes = f.change === undefined ? undefined : Array.isArray(f.change) ? f.change : [f.change];
      const res = await client(f).request<{ moved: Record<string, { from: string | null; to: string }>; transitions: Array<{ id: number; title: string; from: string; to: string; reason: string }> }>(
        'POST',
        '/api/deploys',
        { target: f.target, revision: f.revision, ...(f.fingerprint ? { schemaFingerprint: f.fingerprint } : {}), ...(changes ? { changes } : {}) },
      );
      if (f.json) return out(JSON.stringify(res, null, 2));
      out(`recorded ${f.revision} as live on ${f.target}`);
      for (const [what, m] of Object.entries(res.moved)) out(`  ${what} moved: ${m.from ?? '(none)'} -> ${m.to}`);
      for (const t of res.transitions) out(`  #${t.id} ${t.title}: ${t.from} -> ${t.to}: ${t.reason}`);
    });

  for (const verdict of ['approve', 'reject'] as const) {
    const cmd = ship
      .command(verdict)
      .description(verdict === 'approve' ? 'approve a change (an approver key; never your own change)' : 'reject a change, saying why (the author sees it)')
      .argument('<id>', 'change id');
    if (verdict === 'approve') cmd.option('--comment <text>', 'a note for the author');
    else cmd.requiredOption('--comment <text>', 'why it is rejected');
    withApi(cmd).action(async (id: string, f: ApiFlags & { comment?: string }) => {
      const res = await client(f).request<ChangeView>('POST', `/api/changes/${encodeURIComponent(id)}/${verdict}`, f.comment ? { comment: f.comment } : {});
      if (f.json) return out(JSON.stringify(res, null, 2));
      printView(res);
    });
  }

  withApi(ship.command('release').description('release a change whose checks are all green; prints its plan token').argument('<id>', 'change id')).action(async (id: string, f: ApiFlags) => {
    try {
      const res = await client(f).request<ReleaseResult>('POST', `/api/changes/${encodeURIComponent(id)}/release`);
      if (f.json) return out(JSON.stringify(res, null, 2));
      printView(res);
      out(res.planToken ? `plan token (published to the proxies; a runner needs nothing in its URL):\n${res.planToken}` : 'released: no destructive statements, no plan token needed');
    } catch (err) {
      if (!(err instanceof ShipApiError) || err.api.code !== 'TW_RELEASE_REFUSED') throw err;
      if (f.json) out(JSON.stringify({ error: err.api }, null, 2));
      else {
        out(`change #${id} was not released: ${err.api.message}`);
        const checks = (err.api.details as { checks?: Record<string, { state: string; reason: string }> } | undefined)?.checks ?? {};
        for (const [name, c] of Object.entries(checks)) out(`  ${name.padEnd(10)} ${c.state.padEnd(8)} ${c.reason}`);
      }
      process.exitCode = 1;
    }
  });
}
