import { parseUpstreamUrl } from '../../src/config/upstream.js';
import type { Interceptor } from '../../src/proxy/interceptor.js';
import { DEFAULT_LIMITS, type ProxyLimits } from '../../src/proxy/limits.js';
import type { RelayChoice } from '../../src/proxy/native-relay.js';
import { startProxy, type ProxyServer } from '../../src/proxy/server.js';
import { serverUrl } from './env.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestProxy {
  server: ProxyServer;
  port: number;
  /** A connection URL through the proxy (trust superuser unless a role is given). */
  url(database: string, role?: { user: string; password: string }): string;
}

/** An in-process proxy on a free port in front of the shared test server, closed when the test ends. */
export async function startTestProxy(
  t: Teardown,
  options: { limits?: Partial<ProxyLimits>; interceptor?: Interceptor; upstreamUrl?: string; relay?: RelayChoice } = {},
): Promise<TestProxy> {
  const server = await startProxy(
    {
      listen: { host: '127.0.0.1', port: 0 },
      upstream: parseUpstreamUrl(options.upstreamUrl ?? serverUrl()),
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      // TRIPWIRE_RELAY=js npm test runs the whole suite on the JavaScript relay.
      relay: options.relay ?? ((process.env.TRIPWIRE_RELAY as RelayChoice | undefined) || 'auto'),
    },
    options.interceptor ? { interceptor: options.interceptor } : {},
  );
  t.teardown(() => server.close({ timeoutMs: 0 }));
  const port = server.address.port;
  return {
    server,
    port,
    url(database, role) {
      const auth = role ? `${encodeURIComponent(role.user)}:${encodeURIComponent(role.password)}` : 'postgres';
      return `postgres://${auth}@127.0.0.1:${port}/${database}`;
    },
  };
}
