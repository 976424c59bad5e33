/**
 * `--staging <target>=<url>`: where each production target's rehearsals run. A bare database name
 * means that database on the upstream server, with tripwire's upstream credentials, which is the
 * common single-server setup (crm_production and crm_staging side by side).
 */
import { TripwireError } from '../errors.js';
import { parseUpstreamUrl } from './upstream.js';

/** Production target database → staging database URL. */
export type StagingDatabases = ReadonlyMap<string, string>;

/** The URL of `database` on the server of `serverUrl`, with the same credentials and options. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function parseStaging(entries: readonly string[], upstreamUrl: string): StagingDatabases {
  const out = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const target = entry.slice(0, eq).trim();
    const where = entry.slice(eq + 1).trim();
    if (eq <= 0 || !target || !where) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--staging must look like <target>=<url or database>, got ${JSON.stringify(entry)}` });
    if (out.has(target)) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--staging names ${target} twice` });
    const url = /^postgres(ql)?:\/\//.test(where) ? where : databaseUrl(upstreamUrl, where);
    const parsed = parseUpstreamUrl(url);
    if (!parsed.database) throw new TripwireError('TW_CONFIG_INVALID', { detail: `--staging ${target}=…: the staging URL names no database` });
    const upstream = parseUpstreamUrl(upstreamUrl);
    if (parsed.database === target && parsed.host === upstream.host && parsed.port === upstream.port) {
      throw new TripwireError('TW_CONFIG_INVALID', { detail: `--staging ${target}=${where}: staging cannot be the production database itself` });
    }
    out.set(target, url);
  }
  return out;
}
