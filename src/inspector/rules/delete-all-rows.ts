/** DELETE with no restricting WHERE (none, one that is always true, or one blind to the row) destroys every row. */
import { displayName } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import { restriction } from '../model/expr.js';
import { holdsData } from './support.js';
import type { Rule } from './types.js';

const WHY = {
  none: 'has no WHERE clause',
  always: 'has a WHERE clause that is always true',
  'row-blind': 'has a WHERE clause that never looks at the row (only constants, functions or bind parameters)',
} as const;

export const deleteAllRows: Rule = {
  id: 'delete-all-rows',
  severity: 'block',
  category: 'data-loss',
  summary: 'DELETE without a restricting WHERE (no WHERE, one that is always true, or one that never looks at the row, such as WHERE $1) destroys every row, in a CTE too.',
  ops: ['delete'],
  checkChange(c, ctx) {
    if (c.op !== 'delete' || !holdsData(ctx, c.table)) return;
    const columns = entry(entry(ctx.catalog.schemas, c.table.q.schema)?.tables, c.table.q.name)?.columns;
    const scope = restriction(c.where, (col) => entry(columns, col)?.notNull === true, c.rowName);
    if (scope === 'restricts') return;
    const obj = displayName(c.table.q);
    const action = `DELETE FROM ${c.table.written}${c.inCte ? ' (inside WITH)' : ''}`;
    ctx.report({
      objects: [obj],
      action,
      location: c.location,
      message: `${action} ${WHY[scope]}, so it destroys every row of ${obj}${scope === 'row-blind' ? ' (or none)' : ''}`,
      suggestion: 'Add a WHERE that selects only the rows to remove, and check it first with SELECT count(*) … WHERE …; to empty a table on purpose, back it up first.',
    });
  },
};
