import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { startService, type Service } from './service.js';
import type { Teardown } from './teardown.js';

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];

/** The pgbouncer binary, or a clear message saying how to install it. */
export function findPgBouncer(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SEARCH_DIRS];
  for (const dir of dirs) {
    const path = join(dir, 'pgbouncer');
    if (existsSync(path)) return path;
  }
  throw new Error('pgbouncer not found: install it first (Debian: apt-get update && apt-get install -y pgbouncer)');
}

export function pgbouncerVersion(bin: string): string {
  return execFileSync(bin, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
}

/** uid and gid of a local user, from /etc/passwd. */
function userIds(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`user ${name} not found: PgBouncer refuses to run as root and needs another user`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface PgBouncerOptions {
  port: number;
  upstream: { host: string; port: number };
  /** Database and user the bench connects as. */
  database: string;
  user: string;
}

function iniText(dir: string, o: PgBouncerOptions): string {
  return [
    '[databases]',
    `${o.database} = host=${o.upstream.host} port=${o.upstream.port} dbname=${o.database}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${o.port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'userlist.txt')}`,
    'pool_mode = session',
    'max_client_conn = 200',
    'default_pool_size = 50',
    'min_pool_size = 0',
    'reserve_pool_size = 0',
    `pidfile = ${join(dir, 'pgbouncer.pid')}`,
    'log_connections = 0',
    'log_disconnections = 0',
    'ignore_startup_parameters = extra_float_digits',
    '',
  ].join('\n');
}

/**
 * PgBouncer in session mode on 127.0.0.1, with a generated ini and trust auth in a
 * temp dir. As root it runs as the postgres user (PgBouncer refuses root), spawned
 * directly so its pid is PgBouncer's own and its CPU time can be read.
 */
export async function startPgBouncer(o: PgBouncerOptions, teardown: Teardown): Promise<Service> {
  const bin = findPgBouncer();
  const dir = mkdtempSync(join(tmpdir(), 'tripwire-bench-pgbouncer-'));
  teardown.add({ name: 'pgbouncer temp dir', stop: () => rmSync(dir, { recursive: true, force: true }) });
  const ini = join(dir, 'pgbouncer.ini');
  writeFileSync(ini, iniText(dir, o));
  writeFileSync(join(dir, 'userlist.txt'), `"${o.user}" ""\n`);
  const logFile = join(dir, 'pgbouncer.log');
  writeFileSync(logFile, '');
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? userIds('postgres') : undefined;
  if (ids) {
    for (const f of [dir, ini, join(dir, 'userlist.txt'), logFile]) chownSync(f, ids.uid, ids.gid);
  }
  return startService(
    { name: 'pgbouncer', command: bin, args: [ini], port: o.port, logFile, ...(ids ?? {}) },
    teardown,
  );
}
