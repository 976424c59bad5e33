import { Option, type Command } from 'commander';
import { parseListenAddress } from '../config/listen.js';
import { parseUpstreamUrl, redactUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../logger.js';
import { DEFAULT_LIMITS, LIMIT_RANGES, type ProxyLimits } from '../proxy/limits.js';
import { startProxy } from '../proxy/server.js';
import { RELAY_CHOICES, type RelayChoice } from '../proxy/native-relay.js';
import { DEFAULT_VERDICT_CACHE_SIZE } from '../enforce/enforcer.js';
import { createEnforcementStack } from '../enforce/stack.js';
import { planTokensFromKeys, schemaFingerprint } from '../enforce/token-gate.js';
import { readTlsFiles, stopOnSignals } from './admin-options.js';
import { startServe } from './serve-runtime.js';

function integer(name: keyof ProxyLimits) {
  const [min, max] = LIMIT_RANGES[name];
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new TripwireError('TW_CONFIG_INVALID', { detail: `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}` });
    }
    return n;
  };
}

interface ProxyFlags {
  listen: string;
  upstream?: string;
  maxMessageBytes: number;
  maxStartupBytes: number;
  connectTimeoutMs: number;
  shutdownTimeoutMs: number;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: LogLevel;
  policy?: string;
  planPublicKey?: string;
  auditLog: string;
  verdictCacheSize: number;
  passThrough?: boolean;
  relay: RelayChoice;
  stateUrl?: string;
}

/** Every flag also comes from the environment: TRIPWIRE_<FLAG_NAME>. */
export function addProxyOptions(cmd: Command): Command {
  const d = DEFAULT_LIMITS;
  return cmd
    .addOption(new Option('--listen <host:port>', 'where clients connect').env('TRIPWIRE_LISTEN').default('127.0.0.1:6432'))
    .addOption(new Option('--upstream <url>', 'the PostgreSQL server: postgres://[user[:password]@]host[:port][/db][?sslmode=…]').env('TRIPWIRE_UPSTREAM'))
    .addOption(new Option('--max-message-bytes <n>', 'largest frontend message accepted').env('TRIPWIRE_MAX_MESSAGE_BYTES').argParser(integer('maxMessageBytes')).default(d.maxMessageBytes))
    .addOption(new Option('--max-startup-bytes <n>', 'largest startup packet accepted').env('TRIPWIRE_MAX_STARTUP_BYTES').argParser(integer('maxStartupBytes')).default(d.maxStartupBytes))
    .addOption(new Option('--connect-timeout-ms <n>', 'upstream connection timeout').env('TRIPWIRE_CONNECT_TIMEOUT_MS').argParser(integer('connectTimeoutMs')).default(d.connectTimeoutMs))
    .addOption(new Option('--shutdown-timeout-ms <n>', 'on SIGTERM, how long busy sessions may finish').env('TRIPWIRE_SHUTDOWN_TIMEOUT_MS').argParser(integer('shutdownTimeoutMs')).default(d.shutdownTimeoutMs))
    .addOption(new Option('--tls-cert <file>', 'PEM certificate: clients may use TLS to the proxy').env('TRIPWIRE_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'PEM private key for --tls-cert').env('TRIPWIRE_TLS_KEY'))
    .addOption(new Option('--log-level <level>', 'log level').env('TRIPWIRE_LOG_LEVEL').choices(LOG_LEVELS).default('info'))
    .addOption(new Option('--policy <file|dir>', 'policy file or directory (hot-reloaded); default: policies/default.yaml').env('TRIPWIRE_POLICY'))
    .addOption(new Option('--plan-public-key <file|dir>', 'Ed25519 public key(s) that plan tokens are verified with').env('TRIPWIRE_PLAN_PUBLIC_KEY'))
    .addOption(new Option('--audit-log <file>', 'JSON-lines audit of holds, token passes and warnings; - for stdout').env('TRIPWIRE_AUDIT_LOG').default('tripwire-audit.jsonl'))
    .addOption(new Option('--verdict-cache-size <n>', 'harmless statement texts remembered per database').env('TRIPWIRE_VERDICT_CACHE_SIZE').argParser(count('verdictCacheSize', 0, 10_000_000)).default(DEFAULT_VERDICT_CACHE_SIZE))
    .addOption(new Option('--pass-through', 'judge nothing: a plain relay (for benchmarks and debugging; logged loudly)').env('TRIPWIRE_PASS_THROUGH'))
    .addOption(new Option('--relay <kind>', 'what relays a ready session: native (C, on Node\'s event loop), js, or auto (native when built)').env('TRIPWIRE_RELAY').choices(RELAY_CHOICES).default('auto'));
}

function count(name: string, min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new TripwireError('TW_CONFIG_INVALID', { detail: `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}` });
    }
    return n;
  };
}

export function registerProxyCommand(program: Command): void {
  const cmd = addProxyOptions(program.command('proxy').description('run the proxy in front of a PostgreSQL server'));
  // serve has --state-url among the admin options; here it attaches a lone proxy to shared state.
  cmd.addOption(new Option('--state-url <url>', "a shared tripwire state database: honour the ship queue's releases and uploaded policies, and audit there").env('TRIPWIRE_STATE_URL'));
  cmd.action(async (flags: ProxyFlags) => {
    if (!flags.upstream) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--upstream (or TRIPWIRE_UPSTREAM) is required' });
    const upstream = parseUpstreamUrl(flags.upstream);
    const listen = parseListenAddress(flags.listen);
    const tls = readTlsFiles(flags.tlsCert, flags.tlsKey);
    const logger = createLogger(flags.logLevel);
    const limits: ProxyLimits = {
      maxMessageBytes: flags.maxMessageBytes,
      maxStartupBytes: flags.maxStartupBytes,
      connectTimeoutMs: flags.connectTimeoutMs,
      shutdownTimeoutMs: flags.shutdownTimeoutMs,
    };
    if (flags.stateUrl) {
      if (flags.passThrough) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--pass-through judges nothing, so it cannot honour the state database: drop one of --pass-through and --state-url' });
      // Attached to shared state: the ship queue's releases, uploaded policies and the audit table.
      const running = await startServe({
        upstreamUrl: flags.upstream,
        stateUrl: flags.stateUrl,
        listen,
        adminListen: null,
        limits,
        ...(tls ? { tls } : {}),
        ...(flags.policy ? { policyPath: flags.policy } : {}),
        ...(flags.planPublicKey ? { planPublicKey: flags.planPublicKey } : {}),
        verdictCacheSize: flags.verdictCacheSize,
        relay: flags.relay,
        logger,
      });
      logger.info({ upstream: redactUrl(flags.upstream), state: redactUrl(flags.stateUrl), proxy: running.proxy?.address }, 'ready');
      stopOnSignals(running, logger, limits.shutdownTimeoutMs);
      return;
    }
    const stack = flags.passThrough
      ? null
      : await createEnforcementStack({
          upstream,
          limits,
          ...(flags.policy ? { policyPath: flags.policy } : {}),
          tokens: await planTokensFromKeys(flags.planPublicKey),
          fingerprint: schemaFingerprint,
          audit: flags.auditLog,
          logger,
          verdictCacheSize: flags.verdictCacheSize,
        });
    if (!stack) logger.warn('pass-through mode: nothing is judged, nothing is held');
    const proxy = await startProxy({ listen, upstream, limits, relay: flags.relay, ...(tls ? { tls } : {}) }, { logger, ...(stack ? { interceptor: stack.interceptor } : {}) });
    logger.info({ upstream: redactUrl(flags.upstream), enforcing: stack !== null }, 'ready');
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, timeoutMs: limits.shutdownTimeoutMs }, 'shutting down');
      proxy
        .close()
        .then(() => stack?.close())
        .then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err: String(err) }, 'shutdown failed');
            process.exit(1);
          },
        );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
