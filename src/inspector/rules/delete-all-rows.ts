/** DELETE with no restricting WHERE (none, or one that is always true) destroys every row. */
import { displayName } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import { evalCondition } from '../model/expr.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

export const deleteAllRows: Rule = {
  id: 'delete-all-rows',
  severity: 'block',
  category: 'data-loss',
  summary: 'DELETE without a restricting WHERE (no WHERE, or one that is always true) destroys every row, in a CTE too.',
  ops: ['delete'],
  checkChange(c, ctx) {
    if (c.op !== 'delete' || !holdsData(ctx, c.table)) return;
    const columns = entry(entry(ctx.catalog.schemas, c.table.q.schema)?.tables, c.table.q.name)?.columns;
    const always = c.where === null || evalCondition(c.where, (col) => entry(columns, col)?.notNull === true) === true;
    if (!always) return;
    const obj = displayName(c.table.q);
    const action = `DELETE FROM ${c.table.written}${c.inCte ? ' (inside WITH)' : ''}`;
    const why = c.where === null ? 'has no WHERE clause' : 'has a WHERE clause that is always true';
    ctx.report({
      objects: [obj],
      action,
      location: c.location,
      message: `${action} ${why}, so it destroys every row of ${obj}`,
      suggestion: 'Add a WHERE that selects only the rows to remove, and check it first with SELECT count(*) … WHERE …; to empty a table on purpose, back it up first.',
    });
  },
};
