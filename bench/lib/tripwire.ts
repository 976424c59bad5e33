import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startService, type Service } from './service.js';
import type { Teardown } from './teardown.js';

export interface TripwireOptions {
  /** Repository root: dist/cli/main.js must be built there. */
  root: string;
  port: number;
  upstreamUrl: string;
  logFile: string;
  /** `enforce`: the default policy (what `tripwire proxy` does by default); `relay`: `--pass-through`. */
  mode: 'enforce' | 'relay';
  /** `native` fails to start when the native relay is not built, rather than measuring the other one. */
  relay: 'native' | 'js';
  /** Where the enforcing leg writes its audit log (keeps it out of the work tree). */
  auditLog: string;
  /** The service's name in logs and errors. */
  name: string;
}

/** Fails with a clear message while the proxy command is missing or lacks --listen. */
function checkProxyCommand(main: string): void {
  if (!existsSync(main)) throw new Error(`tripwire: ${main} is missing: run \`npm run build\` first`);
  let help: string;
  try {
    help = execFileSync(process.execPath, [main, 'proxy', '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`tripwire: \`node ${main} proxy --help\` failed, the proxy command is not available yet: ${(err as Error).message}`);
  }
  if (!help.includes('--listen')) throw new Error('tripwire: `proxy --help` does not offer --listen yet, the proxy command is not ready');
}

/**
 * `node dist/cli/main.js proxy --listen … --upstream …` as its own process, logs to a file;
 * with `--pass-through` for the relay leg, with `--audit-log` for the enforcing one.
 */
export async function startTripwire(o: TripwireOptions, teardown: Teardown): Promise<Service> {
  const main = join(o.root, 'dist', 'cli', 'main.js');
  checkProxyCommand(main);
  return startService(
    {
      name: o.name,
      command: process.execPath,
      args: [
        main,
        'proxy',
        '--listen',
        `127.0.0.1:${o.port}`,
        '--upstream',
        o.upstreamUrl,
        '--shutdown-timeout-ms',
        '2000',
        '--relay',
        o.relay,
        ...(o.mode === 'relay' ? ['--pass-through'] : ['--audit-log', o.auditLog]),
      ],
      port: o.port,
      logFile: o.logFile,
      env: { ...process.env, NODE_ENV: 'production' },
    },
    teardown,
  );
}
