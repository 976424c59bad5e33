/**
 * npm run bench:rehearsal — how long a staging rehearsal takes as the data grows: the table split
 * of the story (customers.phone → customer_phones) rehearsed on a staging copy of N customers,
 * with and without --fresh-from-production. Prints one line per size: wall time, and the report's
 * own time (drift, snapshots, run, verify).
 */
import { pino } from 'pino';
import { startCluster } from '../test/harness/cluster.js';
import { freshFromProduction } from '../src/rehearsal/fresh-from-production.js';
import { rehearse } from '../src/rehearsal/rehearse.js';
import { runSql } from '../src/run-sql.js';

const SIZES = (process.env.SIZES ?? '10000,100000,1000000').split(',').map(Number);
const SPLIT = [
  { name: '001.sql', sql: 'CREATE TABLE customer_phones (customer_id bigint, phone text);\nINSERT INTO customer_phones SELECT id, phone FROM customers WHERE phone IS NOT NULL;' },
  { name: '002.sql', sql: 'ALTER TABLE customers DROP COLUMN phone;' },
];

const cluster = await startCluster();
const logger = pino({ level: 'silent' });
try {
  console.log('rows        rehearsal (ms)   of which report ms   fresh+rehearsal (ms)   state');
  for (const n of SIZES) {
    const prod = `bench_prod_${n}`;
    const staging = `bench_stage_${n}`;
    await runSql(cluster.url('postgres'), `CREATE DATABASE ${prod}`);
    await runSql(cluster.url(prod), `CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, phone text);
      INSERT INTO customers SELECT g, 'Customer ' || g, '+1-555-' || lpad(g::text, 7, '0') FROM generate_series(1, ${n}) g`);
    await runSql(cluster.url(prod), 'VACUUM ANALYZE customers');
    await runSql(cluster.url('postgres'), `CREATE DATABASE ${staging} TEMPLATE ${prod}`);
    const input = { productionUrl: cluster.url(prod), stagingUrl: cluster.url(staging), migrations: SPLIT, covered: ['ALTER TABLE customers DROP COLUMN phone'], discards: [], logger };
    let t0 = Date.now();
    const plain = await rehearse(input);
    const plainMs = Date.now() - t0;
    t0 = Date.now();
    const fresh = await rehearse({ ...input, fresh: (tables, drop) => freshFromProduction({ productionUrl: input.productionUrl, stagingUrl: input.stagingUrl, tables, dropOnStaging: drop, rowLimit: 10_000_000, logger }) });
    const freshMs = Date.now() - t0;
    console.log(`${n.toLocaleString('en-US').padEnd(12)}${String(plainMs).padStart(14)}   ${String(plain.ms).padStart(18)}   ${String(freshMs).padStart(20)}   ${plain.state}/${fresh.state}`);
  }
} finally {
  cluster.destroy();
}
