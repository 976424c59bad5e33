/** Flags shared by `tripwire admin` and `tripwire serve`: the state database, the admin API, the queue. */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Logger } from 'pino';
import { TripwireError } from '../errors.js';
import type { TlsFiles } from '../proxy/server.js';
import type { QueueSettings } from '../queue/types.js';
import type { Running } from './serve-runtime.js';

export interface AdminFlags {
  stateUrl?: string;
  adminListen: string;
  planSigningKey?: string;
  tokenTtl: number;
  approvals: number;
  skipRehearsal?: boolean;
  staging: string[];
}

export function duration(flag: string) {
  return (raw: string): number => {
    const m = /^(\d+)\s*(s|m|h|d)?$/.exec(raw.trim());
    if (!m || Number(m[1]) === 0) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${flag} must look like 30m, 2h or 1d, got ${JSON.stringify(raw)}` });
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  };
}

function count(flag: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new TripwireError('TW_CONFIG_INVALID', { detail: `${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}` });
    return n;
  };
}

export function addAdminOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--state-url <url>', "tripwire's state database (the queue, keys, policies, audit); default: the upstream URL").env('TRIPWIRE_STATE_URL'))
    .addOption(new Option('--admin-listen <host:port>', 'where the admin API listens').env('TRIPWIRE_ADMIN_LISTEN').default('127.0.0.1:6433'))
    .addOption(new Option('--plan-signing-key <file>', 'Ed25519 private key (tripwire plan keygen) that releases sign plan tokens with').env('TRIPWIRE_PLAN_SIGNING_KEY'))
    .addOption(new Option('--token-ttl <duration>', 'how long a released plan token is valid').env('TRIPWIRE_TOKEN_TTL').argParser(duration('--token-ttl')).default(24 * 3600, '24h'))
    .addOption(new Option('--approvals <n>', 'approvals a change with block findings needs').env('TRIPWIRE_APPROVALS').argParser(count('--approvals', 1, 10)).default(1))
    .addOption(new Option('--staging <target=url>', 'the staging database rehearsals of <target> run on: a postgres URL, or a database name on the upstream server; repeat per target (env: comma-separated)').env('TRIPWIRE_STAGING').argParser(collectStaging).default([]))
    .addOption(new Option('--skip-rehearsal', 'release migrations without a green staging rehearsal (the rehearsal check says so)').env('TRIPWIRE_SKIP_REHEARSAL'));
}

function collectStaging(raw: string, previous: string[] = []): string[] {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const e of entries) {
    if (!/^[^=]+=.+$/.test(e)) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--staging must look like crm_production=postgres://host/crm_staging or crm_production=crm_staging, got ${JSON.stringify(e)}` });
  }
  return [...previous, ...entries];
}

export function queueSettings(flags: AdminFlags): Partial<QueueSettings> {
  return { approvals: flags.approvals, requireRehearsal: flags.skipRehearsal !== true };
}

export function readTlsFiles(certPath: string | undefined, keyPath: string | undefined): TlsFiles | undefined {
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--tls-cert and --tls-key go together' });
  try {
    return { cert: readFileSync(certPath), key: readFileSync(keyPath) };
  } catch (cause) {
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `cannot read TLS files: ${(cause as Error).message}` }, { cause });
  }
}

/** SIGTERM and SIGINT stop the process cleanly: exit 0, or 1 if shutting down failed. */
export function stopOnSignals(running: Running, logger: Logger, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    running.close({ timeoutMs }).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
