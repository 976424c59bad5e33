import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startService, type Service } from './service.js';
import type { Teardown } from './teardown.js';

/** The reference leg: bench/floor/floor-relay.c, what no relay can beat on this machine. */
export const FLOOR = 'floor';

export interface FloorOptions {
  root: string;
  port: number;
  upstream: { host: string; port: number };
  /** Where the binary and its log go. */
  workDir: string;
}

/** Compiles the floor relay with the system `cc` and starts it; fails clearly without a compiler. */
export async function startFloor(o: FloorOptions, teardown: Teardown): Promise<Service> {
  const binary = join(o.workDir, 'floor-relay');
  const cc = process.env.CC || 'cc';
  const build = spawnSync(cc, ['-O2', '-o', binary, join(o.root, 'bench/floor/floor-relay.c')], { encoding: 'utf8' });
  if (build.error) throw new Error(`${FLOOR}: cannot run ${cc}: ${build.error.message}`);
  if (build.status !== 0) throw new Error(`${FLOOR}: ${cc} exited with ${build.status ?? build.signal}${build.stderr.trim() ? `: ${build.stderr.trim()}` : ''}`);
  return startService(
    { name: FLOOR, command: binary, args: [String(o.port), o.upstream.host, String(o.upstream.port)], port: o.port, logFile: join(o.workDir, `${FLOOR}.log`) },
    teardown,
  );
}
