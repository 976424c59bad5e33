import { readFileSync } from 'node:fs';
import type pg from 'pg';
import type { UpstreamConfig } from '../config/upstream.js';

/** node-postgres settings for tripwire's own connections (state, catalogs) from a parsed URL. */
export function clientConfig(u: UpstreamConfig, database: string | undefined, applicationName: string): pg.ClientConfig {
  const verify = u.sslmode === 'verify-full' || u.sslmode === 'verify-ca';
  return {
    host: u.host,
    port: u.port,
    user: u.user ?? 'postgres',
    ...(u.password ? { password: u.password } : {}),
    database: database ?? u.database ?? 'postgres',
    application_name: applicationName,
    ssl: u.sslmode === 'disable' ? false : { rejectUnauthorized: verify, ...(u.sslrootcert ? { ca: readFileSync(u.sslrootcert) } : {}) },
  };
}
