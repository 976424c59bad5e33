/** DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table. */
import { displayName } from '../catalog/names.js';
import type { Rule } from './types.js';

export const dropIndexNonconcurrent: Rule = {
  id: 'drop-index-nonconcurrent',
  severity: 'warn',
  category: 'downtime',
  summary: 'DROP INDEX without CONCURRENTLY blocks reads and writes on the table while it waits and runs.',
  ops: ['drop-index'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-index' || c.concurrent || c.exists === 'no' || (c.table && ctx.isNew(c.table))) return;
    const obj = displayName(c.index);
    const on = c.table ? displayName(c.table) : 'its table';
    ctx.report({
      objects: c.table ? [obj, displayName(c.table)] : [obj],
      action: `DROP INDEX ${obj}`,
      message: `DROP INDEX ${obj} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${on}, blocking reads and writes while it waits and runs`,
      suggestion: 'Use DROP INDEX CONCURRENTLY, in its own migration outside a transaction block.',
    });
  },
};
