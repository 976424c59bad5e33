/** Every limit is an option with a default; docs/configuration.md lists them. */
export interface ProxyLimits {
  /** Largest frontend message accepted after startup. PostgreSQL's own ceiling is 1 GiB. */
  maxMessageBytes: number;
  /** Largest startup packet. PostgreSQL refuses startup packets over 10,000 bytes. */
  maxStartupBytes: number;
  /** How long a connection to the upstream may take. */
  connectTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long busy sessions may finish before they are closed. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<ProxyLimits> = Object.freeze({
  maxMessageBytes: 64 * 1024 * 1024,
  maxStartupBytes: 10_000,
  connectTimeoutMs: 10_000,
  shutdownTimeoutMs: 30_000,
});

export const LIMIT_RANGES: Readonly<Record<keyof ProxyLimits, readonly [number, number]>> = Object.freeze({
  maxMessageBytes: [1024, 1024 * 1024 * 1024],
  maxStartupBytes: [64, 1024 * 1024],
  connectTimeoutMs: [1, 600_000],
  shutdownTimeoutMs: [0, 3_600_000],
});
