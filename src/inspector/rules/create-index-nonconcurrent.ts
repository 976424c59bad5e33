/** CREATE INDEX without CONCURRENTLY blocks writes for as long as the build takes. */
import { displayName } from '../catalog/names.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const createIndexNonconcurrent: Rule = {
  id: 'create-index-nonconcurrent',
  severity: 'warn',
  category: 'downtime',
  summary: 'CREATE INDEX without CONCURRENTLY on an existing table blocks every write until the index is built.',
  ops: ['create-index'],
  checkChange(c, ctx) {
    if (c.op !== 'create-index' || c.concurrent || !holdsData(ctx, c.table)) return;
    const obj = displayName(c.table.q);
    ctx.report({
      objects: [obj],
      action: `CREATE ${c.unique ? 'UNIQUE ' : ''}INDEX on ${c.table.written}`,
      message: `CREATE ${c.unique ? 'UNIQUE ' : ''}INDEX on ${obj} without CONCURRENTLY blocks every write to ${obj} (SHARE lock) until the index is built`,
      suggestion: 'Use CREATE INDEX CONCURRENTLY, in its own migration outside a transaction block.',
    });
  },
};
