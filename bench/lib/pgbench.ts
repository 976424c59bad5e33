import { execFileSync, spawn } from 'node:child_process';

/** Where pgbench connects: host, port, user, database and an optional password. */
export interface Endpoint {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
}

export function endpointFromUrl(raw: string): Endpoint {
  const url = new URL(raw);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`not a postgres:// URL: ${raw}`);
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

export interface PgbenchRun {
  mode: 'simple' | 'prepared';
  clients: number;
  threads: number;
  seconds: number;
}

export interface PgbenchResult {
  transactions: number;
  /** Excluding the initial connection time. */
  tps: number;
  latencyMs: number;
  failed: number;
}

/** pgbench was stopped by Ctrl-C or SIGTERM: the bench is shutting down, not failing. */
export class PgbenchInterrupted extends Error {
  constructor(signal: string) {
    super(`pgbench stopped by ${signal}`);
    this.name = 'PgbenchInterrupted';
  }
}

function connectionArgs(e: Endpoint): { args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'tripwire-bench' };
  if (e.password !== undefined) env.PGPASSWORD = e.password;
  return { args: ['-h', e.host, '-p', String(e.port), '-U', e.user], env };
}

function number(out: string, re: RegExp, what: string): number {
  const m = re.exec(out);
  if (!m) throw new Error(`pgbench output has no ${what}:\n${out}`);
  return Number(m[1]);
}

/** Reads the summary pgbench prints at the end of a run (PostgreSQL 13 and later, and older). */
export function parsePgbenchOutput(out: string): PgbenchResult {
  const tps =
    /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ??
    /tps = ([\d.]+) \(excluding connections establishing\)/.exec(out)?.[1];
  if (tps === undefined) throw new Error(`pgbench output has no tps line:\n${out}`);
  return {
    transactions: number(out, /number of transactions actually processed: (\d+)/, 'transaction count'),
    tps: Number(tps),
    latencyMs: number(out, /latency average = ([\d.]+) ms/, 'latency average'),
    failed: Number(/number of failed transactions: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** `pgbench -i -s <scale>` against a direct connection. */
export function pgbenchInit(e: Endpoint, scale: number): void {
  const { args, env } = connectionArgs(e);
  execFileSync('pgbench', ['-i', '-q', '-s', String(scale), ...args, e.database], { env, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function pgbenchVersion(): string {
  return execFileSync('pgbench', ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * One `pgbench -S -n` run (select only, no vacuum: the tables are vacuumed by -i).
 * Rejects with pgbench's own output when it fails or a client aborts.
 */
export function runPgbench(e: Endpoint, run: PgbenchRun, signal?: AbortSignal): Promise<PgbenchResult> {
  const { args, env } = connectionArgs(e);
  const argv = ['-S', '-n', '-M', run.mode, '-c', String(run.clients), '-j', String(run.threads), '-T', String(run.seconds), ...args, e.database];
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', argv, { env, stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code, sig) => {
      if (sig === 'SIGINT' || sig === 'SIGTERM') {
        reject(new PgbenchInterrupted(sig));
        return;
      }
      if (code !== 0) {
        reject(new Error(`\`pgbench ${argv.join(' ')}\` failed (code ${code}, signal ${sig}):\n${out.trim()}`));
        return;
      }
      try {
        resolve(parsePgbenchOutput(out));
      } catch (err) {
        reject(err);
      }
    });
  });
}
