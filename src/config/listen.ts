import { TripwireError } from '../errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` or `:port` (loopback). Port 0 asks the OS for a free one. */
export function parseListenAddress(raw: string, flag = '--listen'): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(raw.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new TripwireError('TW_CONFIG_INVALID', { detail: `${flag} must be host:port, got ${JSON.stringify(raw)}` });
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}
