import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Teardown } from './teardown.js';

/** A long-running process the bench started (PgBouncer, tripwire), its output kept in a log file. */
export interface Service {
  name: string;
  pid: number;
  port: number;
  logFile: string;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  port: number;
  logFile: string;
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (exited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

/**
 * Spawns the process directly (no shell, so the pid is the service's own and its
 * CPU time can be read), registers its stop with the teardown, then waits until
 * it accepts TCP connections. Fails with its log tail if it exits or never listens.
 */
export async function startService(spec: ServiceSpec, teardown: Teardown): Promise<Service> {
  // Otherwise another process on that port would pass for this one.
  if (await canConnect(spec.port)) throw new Error(`${spec.name}: 127.0.0.1:${spec.port} is already in use`);
  const out = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, {
      stdio: ['ignore', out, out],
      env: spec.env ?? process.env,
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
  } finally {
    closeSync(out);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  teardown.add({ name: spec.name, stop: () => stopChild(child), kill: () => void child.kill('SIGKILL') });

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 15_000);
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
    if (failed) throw new Error(`${spec.name}: cannot start ${spec.command}: ${failed.message}`);
    if (exited(child)) {
      throw new Error(`${spec.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before listening:\n${tail(spec.logFile)}`);
    }
    if (await canConnect(spec.port)) break;
    if (Date.now() > deadline) throw new Error(`${spec.name} did not listen on 127.0.0.1:${spec.port}:\n${tail(spec.logFile)}`);
  }
  return {
    name: spec.name,
    pid: child.pid!,
    port: spec.port,
    logFile: spec.logFile,
    logTail: (lines) => tail(spec.logFile, lines),
    stop: () => stopChild(child),
  };
}
