import type { Logger } from 'pino';
import type { ListenAddress } from '../config/listen.js';
import type { UpstreamConfig } from '../config/upstream.js';
import type { Interceptor } from './interceptor.js';
import type { ProxyLimits } from './limits.js';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export interface ProxyConfig {
  listen: ListenAddress;
  upstream: UpstreamConfig;
  limits: ProxyLimits;
  tls?: TlsFiles;
}

export interface ProxyServer {
  readonly address: ListenAddress;
  readonly sessionCount: number;
  /** Stop accepting; idle sessions close now, busy ones get `timeoutMs` (default limits.shutdownTimeoutMs). */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export interface ProxyDeps {
  interceptor?: Interceptor;
  logger?: Logger;
}

export async function startProxy(_config: ProxyConfig, _deps: ProxyDeps = {}): Promise<ProxyServer> {
  throw new Error('not built yet');
}
