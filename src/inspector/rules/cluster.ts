/** CLUSTER rewrites the table in index order under an ACCESS EXCLUSIVE lock. */
import { displayName } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const cluster: Rule = {
  id: 'cluster',
  severity: 'warn',
  category: 'downtime',
  summary: 'CLUSTER rewrites a table under an ACCESS EXCLUSIVE lock, blocking reads and writes.',
  ops: ['cluster'],
  checkChange(c, ctx) {
    if (c.op !== 'cluster' || (c.table && !holdsData(ctx, c.table))) return;
    const what = c.table ? displayName(c.table.q) : 'every table that was clustered before';
    ctx.report({
      objects: c.table ? [displayName(c.table.q)] : [],
      action: 'CLUSTER',
      message: `CLUSTER rewrites ${what} under an ACCESS EXCLUSIVE lock, blocking reads and writes until it finishes`,
      suggestion: 'Use pg_repack (which can also order by an index) to rewrite without holding the lock.',
    });
  },
};
