/**
 * The proxy as its own process, through the real CLI (dist/cli/main.js, built by `npm run build`),
 * for tests that measure the proxy's memory. Killed at teardown.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from './cluster.js';
import { serverUrl } from './env.js';
import { stopChild } from './stop-child.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface ProxyProcess {
  pid: number;
  port: number;
  /** A connection URL through the proxy (trust superuser unless a role is given). */
  url(database: string, role?: { user: string; password: string }): string;
  /** Resident set size now, and its peak so far (VmRSS and VmHWM from /proc), in bytes. */
  memory(): { rss: number; peak: number };
  /** What the process wrote to stderr so far (the last 64 KiB). */
  stderr(): string;
}

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `tripwire proxy` on a free port in front of the shared test server and waits until it accepts. */
export async function startProxyProcess(t: Teardown, options: { upstreamUrl?: string; args?: string[] } = {}): Promise<ProxyProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  const port = await freePort();
  const args = ['proxy', '--listen', `127.0.0.1:${port}`, '--upstream', options.upstreamUrl ?? serverUrl(), '--log-level', 'warn', ...(options.args ?? [])];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-65536)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.teardown(() => stopChild(child, exited));

  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`tripwire proxy exited (${child.exitCode ?? child.signalCode}) before accepting connections:\n${stderr}`);
    }
    if (Date.now() > deadline) throw new Error(`tripwire proxy did not accept connections on ${port} within 15 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  const pid = child.pid!;
  return {
    pid,
    port,
    url(database, role) {
      const auth = role ? `${encodeURIComponent(role.user)}:${encodeURIComponent(role.password)}` : 'postgres';
      return `postgres://${auth}@127.0.0.1:${port}/${database}`;
    },
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
      return { rss: kib('VmRSS'), peak: kib('VmHWM') };
    },
    stderr: () => stderr,
  };
}
