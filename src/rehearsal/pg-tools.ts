/**
 * PostgreSQL's own client programs (pg_dump, pg_restore, psql), found on PATH or under Debian's
 * /usr/lib/postgresql/<version>/bin, at least as new as the server: an older pg_dump refuses a
 * newer server. Connection details go through PG* variables, never the command line, so no
 * password shows in `ps` or a log line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type pg from 'pg';
import { parseUpstreamUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

const DEBIAN = '/usr/lib/postgresql';

function candidates(tool: PgTool): string[] {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, tool));
  let debian: string[] = [];
  try {
    debian = readdirSync(DEBIAN)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join(DEBIAN, v, 'bin', tool));
  } catch {
    // Not Debian's layout.
  }
  return [...new Set([...debian, ...onPath])].filter((p) => existsSync(p));
}

function majorOf(path: string): number | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

export async function findPgTool(tool: PgTool, serverMajor: number): Promise<string> {
  for (const path of candidates(tool)) {
    const major = majorOf(path);
    if (major !== null && major >= serverMajor) return path;
  }
  throw new TripwireError('TW_PG_TOOL_MISSING', { tool, major: serverMajor });
}

export async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Math.floor(Number(rows[0]!.v) / 10000);
}

/** The PG* environment a client program needs to reach `url`'s database. */
export function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = parseUpstreamUrl(url);
  return {
    ...process.env,
    PGHOST: u.host,
    PGPORT: String(u.port),
    PGUSER: u.user ?? 'postgres',
    PGDATABASE: u.database ?? 'postgres',
    PGSSLMODE: u.sslmode,
    ...(u.password ? { PGPASSWORD: u.password } : {}),
    ...(u.sslrootcert ? { PGSSLROOTCERT: u.sslrootcert } : {}),
    PGAPPNAME: 'tripwire-fresh',
  };
}
