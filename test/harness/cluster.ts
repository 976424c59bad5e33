import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/free-port.js';
import { pgBinary } from './binaries.js';

export { freePort };

/** Roles every test cluster has, one per auth method the proxy must relay. */
export const SCRAM_ROLE = { user: 'tw_scram', password: 'scram-secret-1' } as const;
export const MD5_ROLE = { user: 'tw_md5', password: 'md5-secret-1' } as const;

export interface Cluster {
  host: string;
  port: number;
  /** Trust-authenticated superuser URL for the given database. */
  url(database?: string): string;
  /** Stops the server and keeps its data (for restart tests). */
  stop(): void;
  start(): void;
  restart(): void;
  /** Stops the server and removes its directory. */
  destroy(): void;
}

const isRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL server program, as the postgres user when we are root (initdb refuses root). */
function runAsOwner(program: string, args: string[]): void {
  const bin = pgBinary(program);
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0) {
    throw new Error(`${program} failed (${res.status}): ${res.stderr || res.stdout}`);
  }
}

/**
 * Starts a throwaway PostgreSQL: initdb into a temp dir, a free 127.0.0.1 port, fsync off.
 * Adds a SCRAM role and an md5 role beside the trust superuser `postgres`.
 */
export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tripwire-pg-'));
  const dataDir = join(dir, 'data');
  if (isRoot) {
    chmodSync(dir, 0o755);
    execFileSync('chown', ['postgres:postgres', dir]);
  }
  const port = await freePort();
  runAsOwner('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '-N']);
  const hba = [
    `host all ${SCRAM_ROLE.user} 127.0.0.1/32 scram-sha-256`,
    `host all ${MD5_ROLE.user} 127.0.0.1/32 md5`,
    'local all all trust',
    'host all all 127.0.0.1/32 trust',
    'host replication all 127.0.0.1/32 trust',
  ].join('\n');
  writeFileSync(join(dataDir, 'pg_hba.conf'), hba + '\n');
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      'shared_buffers = 128MB',
      "log_min_messages = 'warning'",
    ].join('\n') + '\n',
  );
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dataDir]);

  let running = false;
  const logFile = join(dir, 'server.log');
  const cluster: Cluster = {
    host: '127.0.0.1',
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      runAsOwner('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
      running = true;
    },
    stop() {
      if (!running) return;
      running = false;
      runAsOwner('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    restart() {
      cluster.stop();
      cluster.start();
    },
    destroy() {
      try {
        cluster.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  const psql = pgBinary('psql');
  execFileSync(psql, [cluster.url(), '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', `
    SET password_encryption = 'scram-sha-256';
    CREATE ROLE ${SCRAM_ROLE.user} LOGIN SUPERUSER PASSWORD '${SCRAM_ROLE.password}';
    SET password_encryption = 'md5';
    CREATE ROLE ${MD5_ROLE.user} LOGIN SUPERUSER PASSWORD '${MD5_ROLE.password}';
  `]);
  return cluster;
}
