/**
 * `tripwire rehearse <id>`: runs a change's migrations on its staging database through the admin
 * API and follows the progress: a line per step, or a bar on a TTY. Exit 0 when the data survived
 * (green), 1 when the rehearsal named a loss (red), 2 when it could not run.
 */
import type { Command } from 'commander';
import { TripwireError } from '../errors.js';
import type { RehearsalRun } from '../queue/rehearsal-runs.js';
import type { RehearsalProgress } from '../rehearsal/types.js';
import { client, withApi, type ApiFlags } from './ship-command.js';

interface RehearseFlags extends ApiFlags {
  freshFromProduction?: boolean;
  rowLimit?: number;
  pollMs: number;
}

const out = (line = ''): void => {
  process.stdout.write(line + '\n');
};

function positive(flag: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${flag} must be a positive integer, got ${JSON.stringify(raw)}` });
    return n;
  };
}

/** One progress line: `[run] 2/3 migration 002_drop_phone.sql` (a bar instead of counts on a TTY). */
export function progressLine(p: RehearsalProgress, tty: boolean): string {
  if (p.done === undefined || p.total === undefined || p.total === 0) return `[${p.step}] ${p.message}`;
  if (!tty) return `[${p.step}] ${p.done}/${p.total} ${p.message}`;
  const width = 20;
  const filled = Math.round((Math.min(p.done, p.total) / p.total) * width);
  return `[${p.step}] [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.message}`;
}

async function follow(id: string, f: RehearseFlags): Promise<RehearsalRun> {
  const api = client(f);
  const started = await api.request<{ rehearsal: RehearsalRun }>('POST', `/api/changes/${encodeURIComponent(id)}/rehearse`, {
    ...(f.freshFromProduction ? { freshFromProduction: true } : {}),
    ...(f.rowLimit ? { rowLimit: f.rowLimit } : {}),
  });
  const tty = process.stdout.isTTY === true && !f.json;
  let shown = 0;
  let run = started.rehearsal;
  for (;;) {
    if (!f.json) {
      for (const p of run.progress.slice(shown)) out(progressLine(p, tty));
      shown = run.progress.length;
    }
    if (run.state !== 'running') return run;
    await new Promise((r) => setTimeout(r, f.pollMs));
    run = (await api.request<{ rehearsal: RehearsalRun }>('GET', `/api/changes/${encodeURIComponent(id)}/rehearsal`)).rehearsal;
  }
}

export function registerRehearseCommand(program: Command): void {
  withApi(program.command('rehearse').description("run a change's migrations on staging and verify the data survived (its rehearsal check)").argument('<id>', 'change id'))
    .option('--fresh-from-production', 'first rebuild the tables the migrations touch on staging from production (pg_dump | pg_restore)')
    .option('--row-limit <n>', 'with --fresh-from-production: rows copied at most per table (default 100000)', positive('--row-limit'))
    .option('--poll-ms <n>', 'how often to ask for progress', positive('--poll-ms'), 500)
    .action(async (id: string, f: RehearseFlags) => {
      const run = await follow(id, f);
      if (f.json) out(JSON.stringify({ rehearsal: run }, null, 2));
      else if (run.state === 'failed') out(`rehearsal of change #${id} could not run: ${run.error}`);
      else out(run.report?.text ?? `rehearsal ${run.state}: ${run.summary}`);
      process.exitCode = run.state === 'green' ? 0 : run.state === 'red' ? 1 : 2;
    });
}
