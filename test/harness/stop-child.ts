import type { ChildProcess } from 'node:child_process';

/**
 * Ends a tripwire process the way an operator would: SIGTERM, so it cleans up after itself
 * (temp folders, state connections); SIGKILL only if it is still there after `graceMs`.
 */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return void (await exited);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
