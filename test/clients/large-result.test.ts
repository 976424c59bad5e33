/**
 * 1,000,000 rows (about 108 MB) streamed through the proxy process to a psql that stalls at first:
 * every row arrives intact, and the proxy's resident memory grows by less than 64 MB, because it
 * stops reading the server while the client is not reading.
 */
import t from 'tap';
import { pgBinary } from '../harness/binaries.js';
import { direct, freshDatabase } from '../harness/env.js';
import { startProxyProcess } from '../harness/proxy-process.js';
import { finished, spawnClient, waitFor } from './support.js';

const ROWS = 1_000_000;
const PAD = 100;
const MB = 1024 * 1024;

/** Bytes of `g<TAB>xxx…x<LF>` for g = 1..ROWS. */
function expectedBytes(): number {
  let total = 0;
  for (let digits = 1, from = 1; from <= ROWS; digits++, from *= 10) {
    const to = Math.min(ROWS, from * 10 - 1);
    total += (to - from + 1) * (digits + 1 + PAD + 1);
  }
  return total;
}

/** Counts rows and sums their first column as the text streams in. */
class RowCounter {
  rows = 0;
  bytes = 0;
  sum = 0;
  badRows = 0;
  private carry = '';
  push(chunk: string): void {
    this.bytes += Buffer.byteLength(chunk);
    const lines = (this.carry + chunk).split('\n');
    this.carry = lines.pop()!;
    for (const line of lines) {
      const tab = line.indexOf('\t');
      this.rows++;
      this.sum += Number(line.slice(0, tab));
      if (line.length - tab - 1 !== PAD) this.badRows++;
    }
  }
}

t.test('a million rows through the proxy process with bounded memory', { timeout: 120_000 }, async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startProxyProcess(t);
  const app = `tw_stream_${process.pid}`;

  // Warm up the session path once, so the baseline is the steady state rather than a cold start.
  const warm = await finished(spawnClient(t, pgBinary('psql'), ['-X', '-At', '-d', proxy.url(db), '-c', 'SELECT 1']));
  t.equal(warm.stdout, '1\n', 'a warm-up query through the proxy process works');
  const baseline = proxy.memory().rss;

  const copy = `COPY (SELECT g, repeat('x', ${PAD}) FROM generate_series(1, ${ROWS}) g) TO STDOUT`;
  const child = spawnClient(t, pgBinary('psql'), ['-X', '-d', `${proxy.url(db)}?application_name=${app}`, '-c', copy]);
  child.stdin?.end();
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  // Nobody reads psql's stdout yet, so psql stops reading the proxy. A proxy with backpressure stops
  // reading the server, which then blocks writing (ClientWrite). One without it would buffer the rest.
  let stalledPolls = 0;
  const stall = await waitFor(
    'the server to block on ClientWrite (or finish)',
    async () => {
      const [row] = await direct<{ state: string; wait_event: string | null }>(
        db,
        "SELECT state, wait_event FROM pg_stat_activity WHERE application_name = $1 AND starts_with(query, 'COPY')",
        [app],
      );
      if (row && row.state !== 'active') return 'finished while the client was stalled';
      stalledPolls = row?.wait_event === 'ClientWrite' ? stalledPolls + 1 : 0;
      return stalledPolls >= 5 ? 'blocked on ClientWrite' : undefined;
    },
    60_000,
  );
  const whileStalled = proxy.memory();
  t.equal(stall, 'blocked on ClientWrite', 'the server is held back while the client does not read');

  const counter = new RowCounter();
  child.stdout!.setEncoding('utf8').on('data', (s: string) => counter.push(s));
  const code = await exit;
  const end = proxy.memory();

  t.equal(code, 0, 'psql exits 0', { stderr });
  t.same(
    { rows: counter.rows, bytes: counter.bytes, sum: counter.sum, badRows: counter.badRows },
    { rows: ROWS, bytes: expectedBytes(), sum: (ROWS * (ROWS + 1)) / 2, badRows: 0 },
    'every row arrived, intact and once',
  );
  const growth = Math.max(whileStalled.peak, end.peak) - baseline;
  t.ok(growth < 64 * MB, `the proxy's RSS grew by ${(growth / MB).toFixed(1)} MB (limit 64 MB)`, {
    baselineMB: baseline / MB,
    stalledRssMB: whileStalled.rss / MB,
    peakMB: end.peak / MB,
  });
});
