/**
 * `tripwire serve`: the proxy and the admin API in one process, over one state database. What the
 * README's demo and a single-machine user run. `tripwire admin` runs the API alone.
 */
import type { Command } from 'commander';
import { parseListenAddress } from '../config/listen.js';
import { parseUpstreamUrl, redactUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { createLogger, type LogLevel } from '../logger.js';
import type { ProxyLimits } from '../proxy/limits.js';
import type { RelayChoice } from '../proxy/native-relay.js';
import { addAdminOptions, queueSettings, readTlsFiles, stopOnSignals, type AdminFlags } from './admin-options.js';
import { addProxyOptions } from './proxy-command.js';
import { startServe } from './serve-runtime.js';

interface ServeFlags extends AdminFlags {
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
  verdictCacheSize: number;
  passThrough?: boolean;
  relay: RelayChoice;
}

function requireUpstream(flags: { upstream?: string }): string {
  if (!flags.upstream) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--upstream (or TRIPWIRE_UPSTREAM) is required' });
  parseUpstreamUrl(flags.upstream);
  return flags.upstream;
}

export function registerServeCommand(program: Command): void {
  const cmd = program.command('serve').description('run the proxy and the admin API together (audit, queue and policies in the state database)');
  addAdminOptions(addProxyOptions(cmd)).action(async (flags: ServeFlags) => {
    if (flags.passThrough) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--pass-through is for tripwire proxy: serve always enforces' });
    const upstreamUrl = requireUpstream(flags);
    const logger = createLogger(flags.logLevel);
    const limits: ProxyLimits = {
      maxMessageBytes: flags.maxMessageBytes,
      maxStartupBytes: flags.maxStartupBytes,
      connectTimeoutMs: flags.connectTimeoutMs,
      shutdownTimeoutMs: flags.shutdownTimeoutMs,
    };
    const tls = readTlsFiles(flags.tlsCert, flags.tlsKey);
    const running = await startServe({
      upstreamUrl,
      ...(flags.stateUrl ? { stateUrl: flags.stateUrl } : {}),
      listen: parseListenAddress(flags.listen),
      adminListen: parseListenAddress(flags.adminListen, '--admin-listen'),
      limits,
      ...(tls ? { tls } : {}),
      ...(flags.policy ? { policyPath: flags.policy } : {}),
      ...(flags.planPublicKey ? { planPublicKey: flags.planPublicKey } : {}),
      ...(flags.planSigningKey ? { planSigningKey: flags.planSigningKey } : {}),
      tokenTtlSeconds: flags.tokenTtl,
      verdictCacheSize: flags.verdictCacheSize,
      relay: flags.relay,
      settings: queueSettings(flags),
      staging: flags.staging,
      logger,
    });
    logger.info(
      { upstream: redactUrl(upstreamUrl), state: redactUrl(flags.stateUrl ?? upstreamUrl), proxy: running.proxy?.address, admin: running.admin?.url, signing: Boolean(flags.planSigningKey) },
      'ready',
    );
    stopOnSignals(running, logger, limits.shutdownTimeoutMs);
  });
}
