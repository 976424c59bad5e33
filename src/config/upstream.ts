import { TripwireError } from '../errors.js';

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];

/**
 * Where the server is and how to reach it. The credentials are tripwire's own, for the queries it
 * runs itself (catalog reads, state); client sessions always authenticate with their own.
 */
export interface UpstreamConfig {
  host: string;
  port: number;
  sslmode: SslMode;
  /** PEM CA bundle for verify-ca / verify-full (`sslrootcert`). */
  sslrootcert?: string;
  user?: string;
  password?: string;
  database?: string;
}

export function parseUpstreamUrl(raw: string): UpstreamConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new TripwireError('TW_UPSTREAM_URL_INVALID', { url: JSON.stringify(raw), detail: 'not a URL' }, { cause });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new TripwireError('TW_UPSTREAM_URL_INVALID', {
      url: redactUrl(raw),
      detail: `scheme must be postgres:// or postgresql://, not ${url.protocol}//`,
    });
  }
  if (!url.hostname) {
    throw new TripwireError('TW_UPSTREAM_URL_INVALID', { url: redactUrl(raw), detail: 'no host' });
  }
  const port = url.port ? Number(url.port) : 5432;
  const sslmode = (url.searchParams.get('sslmode') ?? 'disable') as SslMode;
  if (!SSL_MODES.includes(sslmode)) {
    throw new TripwireError('TW_UPSTREAM_URL_INVALID', {
      url: redactUrl(raw),
      detail: `sslmode must be one of ${SSL_MODES.join(', ')}`,
    });
  }
  const config: UpstreamConfig = { host: url.hostname.replace(/^\[|\]$/g, ''), port, sslmode };
  const rootcert = url.searchParams.get('sslrootcert');
  if (rootcert) config.sslrootcert = rootcert;
  if (url.username) config.user = decodeURIComponent(url.username);
  if (url.password) config.password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) config.database = database;
  return config;
}

/** The URL with its password replaced, for logs and errors. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function describeUpstream(u: UpstreamConfig): string {
  return `${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}`;
}
