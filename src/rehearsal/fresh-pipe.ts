/** Two client programs with the first's output streamed into the second's input, as a shell pipe. */
import { spawn } from 'node:child_process';

export interface Side {
  path: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface PipeResult {
  ok: boolean;
  /** Both programs' stderr, trimmed. */
  stderr: string;
}

function run(side: Side, stdio: ['ignore' | 'pipe', 'pipe' | 'ignore', 'pipe']) {
  const child = spawn(side.path, side.args, { env: side.env, stdio });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-16384)));
  const done = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      stderr += String(err);
      resolve(-1);
    });
    child.once('close', (code) => resolve(code ?? -1));
  });
  return { child, done, stderr: () => stderr };
}

export async function pipe(from: Side, to: Side): Promise<PipeResult> {
  const a = run(from, ['ignore', 'pipe', 'pipe']);
  const b = run(to, ['pipe', 'ignore', 'pipe']);
  b.child.stdin!.on('error', () => undefined);
  a.child.stdout!.pipe(b.child.stdin!);
  const [ca, cb] = await Promise.all([a.done, b.done]);
  return { ok: ca === 0 && cb === 0, stderr: [a.stderr(), b.stderr()].map((s) => s.trim()).filter(Boolean).join('\n') };
}
