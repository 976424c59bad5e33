import t from 'tap';
import { direct, freshDatabase } from './harness/env.js';

t.test('the harness serves a fresh database with the SCRAM and md5 roles', async (t) => {
  const db = await freshDatabase(t);
  const rows = await direct<{ rolname: string }>(db, "SELECT rolname FROM pg_roles WHERE rolname IN ('tw_scram','tw_md5') ORDER BY 1");
  t.same(rows.map((r) => r.rolname), ['tw_md5', 'tw_scram']);
});
