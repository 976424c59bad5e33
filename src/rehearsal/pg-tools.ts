/**
 * PostgreSQL's own client programs (pg_dump, pg_restore, psql), found on PATH or under Debian's
 * /usr/lib/postgresql/<version>/bin, at least as new as the server: an older pg_dump refuses a
 * newer server. Connection details go through PG* variables, never the command line, so no
 * password shows in `ps` or a log line.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type pg from 'pg';
import { parseUpstreamUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql';

const DEBIAN = '/usr/lib/postgresql';

/** Where to look, in order: Debian's versioned directories (highest first), then PATH. */
function candidates(tool: PgTool): string[] {
  let debian: string[] = [];
  try {
    debian = readdirSync(DEBIAN)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join(DEBIAN, v, 'bin', tool));
  } catch {
    // Not Debian's layout.
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, tool));
  return [...new Set([...debian, ...onPath])].filter((p) => existsSync(p));
}

/** `pg_dump (PostgreSQL) 15.18 (Debian …)` → 15; `9.6.24` → 9. Cached per path. */
const majors = new Map<string, Promise<number | null>>();
function majorOf(path: string): Promise<number | null> {
  let hit = majors.get(path);
  if (!hit) {
    hit = new Promise((resolve) => {
      execFile(path, ['--version'], { timeout: 10_000 }, (err, stdout) => {
        const m = err ? null : /\(PostgreSQL\)\s+(\d+)/.exec(String(stdout));
        resolve(m ? Number(m[1]) : null);
      });
    });
    majors.set(path, hit);
  }
  return hit;
}

/** The absolute path of `tool` whose major version is at least `serverMajor`. */
export async function findPgTool(tool: PgTool, serverMajor: number): Promise<string> {
  for (const path of candidates(tool)) {
    const major = await majorOf(path);
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

/** A libpq connection string naming just the database (`-d`), so a name with `=` stays a name. */
export function dbnameConninfo(url: string): string {
  const name = parseUpstreamUrl(url).database ?? 'postgres';
  return `dbname='${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `text` with the passwords of `urls` (raw and URL-encoded) replaced by `***`, trimmed. */
export function withoutPasswords(text: string, urls: readonly string[]): string {
  let out = text;
  for (const u of urls) {
    let raw = '';
    try {
      raw = new URL(u).password;
    } catch {
      continue; // not a URL: nothing to hide
    }
    for (const secret of new Set([raw, safeDecode(raw)])) if (secret) out = out.split(secret).join('***');
  }
  return out.trim();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
