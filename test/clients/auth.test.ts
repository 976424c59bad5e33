/**
 * SCRAM-SHA-256 and md5 logins through the proxy, with node-postgres, postgres.js and psql: the right
 * password logs in as that role, and a wrong one fails exactly as it does directly (28P01).
 */
import t from 'tap';
import pg from 'pg';
import { freshDatabase, roles, serverUrl } from '../harness/env.js';
import { startTestProxy } from '../harness/proxy.js';
import { clientEnv, postgresJs, psql, type Teardown } from './support.js';

type Role = { user: string; password: string };

function withRole(url: string, role: Role): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role.user);
  u.password = encodeURIComponent(role.password);
  return u.toString();
}

interface Login {
  user?: string;
  error?: { code?: string; severity?: string; message: string };
}

const clients: Record<string, (t: Teardown, url: string) => Promise<Login>> = {
  async 'node-postgres'(_t, url) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query('SELECT current_user AS cu, session_user AS su');
      return { user: `${rows[0].cu}/${rows[0].su}` };
    } catch (err) {
      const e = err as pg.DatabaseError;
      return { error: { code: e.code, severity: e.severity, message: e.message } };
    } finally {
      await client.end().catch(() => {});
    }
  },
  async 'postgres.js'(t, url) {
    const sql = postgresJs(t, url);
    try {
      const [row] = await sql`SELECT current_user AS cu, session_user AS su`;
      return { user: `${row!.cu}/${row!.su}` };
    } catch (err) {
      const e = err as { code?: string; severity?: string; message: string };
      return { error: { code: e.code, severity: e.severity, message: e.message } };
    }
  },
  async psql(t, url) {
    const r = await psql(t, url, ['-At', '-c', "SELECT current_user || '/' || session_user"], '', clientEnv());
    if (r.status === 0) return { user: r.stdout.trim() };
    // psql names the port it dialled; everything else must match.
    return { error: { code: `exit ${r.status}`, message: r.stderr.replace(/port \d+/g, 'port <port>') } };
  },
};

t.test('right and wrong passwords, per role and client, through the proxy and directly', async (t) => {
  const db = await freshDatabase(t);
  const proxy = await startTestProxy(t);
  const cases: Array<[string, Role, Login]> = [
    ['scram, right password', roles.scram, { user: `${roles.scram.user}/${roles.scram.user}` }],
    ['scram, wrong password', { ...roles.scram, password: 'wrong' }, { error: { message: `password authentication failed for user "${roles.scram.user}"` } }],
    ['md5, right password', roles.md5, { user: `${roles.md5.user}/${roles.md5.user}` }],
    ['md5, wrong password', { ...roles.md5, password: 'wrong' }, { error: { message: `password authentication failed for user "${roles.md5.user}"` } }],
    ['unknown role', { user: 'tw_nobody', password: 'x' }, { error: { message: 'role "tw_nobody" does not exist' } }],
  ];
  for (const [clientName, login] of Object.entries(clients)) {
    for (const [name, role, expected] of cases) {
      const label = `${clientName}, ${name}`;
      const viaDirect = await login(t, withRole(serverUrl(db), role));
      const viaProxy = await login(t, withRole(proxy.url(db), role));
      t.match(viaDirect, expected.user ? expected : { error: { message: new RegExp(escape(expected.error!.message)) } }, `${label}: direct`);
      if (clientName !== 'psql' && expected.error) {
        const code = name === 'unknown role' ? '28000' : '28P01';
        t.match(viaDirect, { error: { code, severity: 'FATAL' } }, `${label}: direct fails with ${code}`);
      }
      t.same(viaProxy, viaDirect, `${label}: the proxy gives the same outcome`);
    }
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
