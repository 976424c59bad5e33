/** `tripwire admin`: the admin API alone (the proxies run elsewhere and share the state database). */
import { Option, type Command } from 'commander';
import { parseListenAddress } from '../config/listen.js';
import { parseUpstreamUrl, redactUrl } from '../config/upstream.js';
import { TripwireError } from '../errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../logger.js';
import { DEFAULT_LIMITS } from '../proxy/limits.js';
import { addAdminOptions, queueSettings, stopOnSignals, type AdminFlags } from './admin-options.js';
import { startServe } from './serve-runtime.js';

interface Flags extends AdminFlags {
  upstream?: string;
  logLevel: LogLevel;
  policy?: string;
}

export function registerAdminCommand(program: Command): void {
  const cmd = program
    .command('admin')
    .description('run the admin API alone: the ship queue, policies and keys, over the state database')
    .addOption(new Option('--upstream <url>', 'the PostgreSQL server whose databases changes target (its credentials are tripwire\'s own)').env('TRIPWIRE_UPSTREAM'))
    .addOption(new Option('--policy <file|dir>', 'the policy the proxies enforce: rehearsals judge staging runs with it (observe mode)').env('TRIPWIRE_POLICY'))
    .addOption(new Option('--log-level <level>', 'log level').env('TRIPWIRE_LOG_LEVEL').choices(LOG_LEVELS).default('info'));
  addAdminOptions(cmd).action(async (flags: Flags) => {
    if (!flags.upstream) throw new TripwireError('TW_CONFIG_INVALID', { detail: '--upstream (or TRIPWIRE_UPSTREAM) is required' });
    parseUpstreamUrl(flags.upstream);
    const logger = createLogger(flags.logLevel);
    const running = await startServe({
      upstreamUrl: flags.upstream,
      ...(flags.stateUrl ? { stateUrl: flags.stateUrl } : {}),
      listen: null,
      adminListen: parseListenAddress(flags.adminListen, '--admin-listen'),
      limits: { ...DEFAULT_LIMITS },
      ...(flags.planSigningKey ? { planSigningKey: flags.planSigningKey } : {}),
      tokenTtlSeconds: flags.tokenTtl,
      settings: queueSettings(flags),
      staging: flags.staging,
      ...(flags.policy ? { policyPath: flags.policy } : {}),
      logger,
    });
    logger.info({ upstream: redactUrl(flags.upstream), state: redactUrl(flags.stateUrl ?? flags.upstream), admin: running.admin?.url, signing: Boolean(flags.planSigningKey) }, 'ready');
    stopOnSignals(running, logger, 5000);
  });
}
