/**
 * `npm test`: starts one throwaway PostgreSQL for the whole run (unless TRIPWIRE_TEST_DATABASE_URL
 * points at one), runs tap, always stops what it started, and prints `N passed, N failed`.
 */
import { spawn } from 'node:child_process';
import { startCluster, type Cluster } from './harness/cluster.js';

async function main(): Promise<number> {
  let cluster: Cluster | undefined;
  const env = { ...process.env };
  if (!env.TRIPWIRE_TEST_DATABASE_URL) {
    cluster = await startCluster();
    env.TRIPWIRE_TEST_DATABASE_URL = cluster.url();
  }
  const stopCluster = () => {
    const c = cluster;
    cluster = undefined;
    c?.destroy();
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      stopCluster();
      process.exit(130);
    });
  }
  try {
    const files = process.argv.slice(2);
    const counts = { pass: 0, fail: 0, skip: 0 };
    const code = await new Promise<number>((resolve, reject) => {
      const tap = spawn('npx', ['tap', '--reporter=tap', ...files], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      tap.on('error', reject);
      // Count the tests inside each file (4-space indent in TAP 14), not just the files.
      let carry = '';
      let fileFailures = 0;
      tap.stdout.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        const lines = (carry + chunk.toString('utf8')).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          const m = /^( *)(not ok|ok) \d+/.exec(line);
          if (!m) continue;
          const skipped = /# (SKIP|TODO)/i.test(line);
          if (m[1]!.length === 4) {
            if (skipped) counts.skip++;
            else if (m[2] === 'ok') counts.pass++;
            else counts.fail++;
          } else if (m[1]!.length === 0 && m[2] === 'not ok') {
            fileFailures++;
          }
        }
      });
      tap.on('close', (status) => {
        if (counts.fail === 0) counts.fail = fileFailures;
        resolve(status ?? 1);
      });
    });
    const failed = code !== 0 && counts.fail === 0 ? 1 : counts.fail;
    console.log(`${counts.pass} passed, ${failed} failed${counts.skip ? `, ${counts.skip} skipped` : ''}`);
    return code;
  } finally {
    stopCluster();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
