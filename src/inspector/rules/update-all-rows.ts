/** An UPDATE that sets an existing column to one value in every row destroys what it held. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { entry } from '../catalog/records.js';
import { restriction, rowIndependent } from '../model/expr.js';
import { holdsData, prose } from './support.js';
import type { Rule } from './types.js';

export const updateAllRows: Rule = {
  id: 'update-all-rows',
  severity: 'block',
  category: 'data-loss',
  summary: 'An UPDATE without a restricting WHERE (none, always true, or blind to the row such as WHERE $1) that sets an existing column to a constant or NULL overwrites it in every row.',
  ops: ['update'],
  checkChange(c, ctx) {
    if (c.op !== 'update' || !holdsData(ctx, c.table)) return;
    const columns = entry(entry(ctx.catalog.schemas, c.table.q.schema)?.tables, c.table.q.name)?.columns;
    const scope = restriction(c.where, (col) => entry(columns, col)?.notNull === true, c.rowName);
    if (scope === 'restricts') return;
    // A column this migration added holds nothing yet: filling it is a backfill, not a loss.
    const wiped = c.sets.filter((s) => rowIndependent(s.value) && !ctx.isNew(c.table.q, s.column)).map((s) => s.column);
    if (wiped.length === 0) return;
    const objects = wiped.map((col) => displayName(c.table.q, col));
    const action = `UPDATE ${c.table.written} SET ${wiped.map((col) => `${quoteIdent(col)} = …`).join(', ')}`;
    ctx.report({
      objects,
      action,
      location: c.location,
      message: `${action} overwrites ${prose(objects)} in every row${scope === 'row-blind' ? ' (its WHERE never looks at the row: every row or none)' : ''} with the same value; the values it held are gone`,
      suggestion: 'Restrict the UPDATE with a WHERE to the rows meant to change, or copy the old values to a new column first.',
    });
  },
};
