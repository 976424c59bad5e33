/**
 * pgbench through the proxy: -i builds the same tables as directly, and short runs in each query
 * mode process every transaction, with the same summary lines as a direct run.
 */
import t from 'tap';
import { pgBinary } from '../harness/binaries.js';
import { direct, freshDatabase, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { run, tableChecksum } from './support.js';

const TABLES = ['pgbench_accounts', 'pgbench_branches', 'pgbench_tellers', 'pgbench_history'];

/** pgbench's summary without its timings: the lines that must not differ between runs. */
function summary(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => /^(transaction type|scaling factor|query mode|number of (clients|threads|transactions|failed)|maximum number of tries)/.test(l));
}

async function schema(db: string) {
  return direct(
    db,
    `SELECT c.relname, c.relkind, pg_get_indexdef(i.indexrelid) AS index
       FROM pg_class c LEFT JOIN pg_index i ON i.indrelid = c.oid
      WHERE c.relname LIKE 'pgbench%' ORDER BY 1, 3`,
  );
}

t.test('pgbench -i, then -S in every query mode and a TPC-B run', async (t) => {
  const pgbench = pgBinary('pgbench');
  const proxy = await startTestProxy(t);
  const directDb = await freshDatabase(t);
  const proxyDb = await freshDatabase(t);
  const bench = (url: string, args: string[]) => run(t, pgbench, [...args, url]);

  const initDirect = await bench(serverUrl(directDb), ['-i', '-q', '-s', '1']);
  const initProxy = await bench(proxy.url(proxyDb), ['-i', '-q', '-s', '1']);
  t.equal(initDirect.status, 0, 'direct -i exits 0');
  t.equal(initProxy.status, 0, '-i through the proxy exits 0', { stderr: initProxy.stderr });
  t.match(initProxy.stderr, /100000 of 100000 tuples \(100%\) done/, '-i through the proxy loaded every account');
  t.same(await schema(proxyDb), await schema(directDb), '-i built the same tables and indexes');
  for (const table of TABLES) {
    t.same(await tableChecksum(proxyDb, table), await tableChecksum(directDb, table), `${table}: same rows as a direct -i`);
  }

  for (const mode of ['simple', 'extended', 'prepared']) {
    const args = ['-n', '-S', '-t', '200', '-c', '2', '-j', '2', '-M', mode];
    const viaDirect = await bench(serverUrl(directDb), args);
    const viaProxy = await bench(proxy.url(proxyDb), args);
    t.equal(viaProxy.status, 0, `-S -M ${mode}: exits 0`, { stderr: viaProxy.stderr });
    t.match(viaProxy.stdout, /number of transactions actually processed: 400\/400\n/, `-S -M ${mode}: 400 of 400 processed`);
    t.match(viaProxy.stdout, /number of failed transactions: 0 \(0\.000%\)/, `-S -M ${mode}: none failed`);
    t.match(summary(viaDirect.stdout), [/^transaction type: <builtin: select only>/, /^scaling factor: 1/, `query mode: ${mode}`], `-S -M ${mode}: direct summary`);
    t.same(summary(viaProxy.stdout), summary(viaDirect.stdout), `-S -M ${mode}: same summary as direct`);
  }

  // The TPC-B script writes in transactions: every update and insert must arrive exactly once.
  const tpcb = ['-n', '-t', '50', '-c', '2', '-j', '2', '-M', 'prepared'];
  const writeProxy = await bench(proxy.url(proxyDb), tpcb);
  t.equal(writeProxy.status, 0, 'TPC-B -M prepared: exits 0', { stderr: writeProxy.stderr });
  t.match(writeProxy.stdout, /number of transactions actually processed: 100\/100\n/, 'TPC-B: 100 of 100 processed');
  const [totals] = await direct(
    proxyDb,
    `SELECT (SELECT count(*)::int FROM pgbench_history) AS history,
            (SELECT sum(delta) FROM pgbench_history) = (SELECT sum(abalance) FROM pgbench_accounts) AS accounts_balance,
            (SELECT sum(delta) FROM pgbench_history) = (SELECT sum(tbalance) FROM pgbench_tellers) AS tellers_balance,
            (SELECT sum(delta) FROM pgbench_history) = (SELECT sum(bbalance) FROM pgbench_branches) AS branches_balance`,
  );
  t.same(totals, { history: 100, accounts_balance: true, tellers_balance: true, branches_balance: true }, 'TPC-B: every write landed once');
});
