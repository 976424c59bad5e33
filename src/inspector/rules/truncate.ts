/** TRUNCATE destroys every row, and CASCADE empties every table that references it too. */
import { truncateReach } from '../catalog/dependents.js';
import { displayName } from '../catalog/names.js';
import { holdsData, prose } from './support.js';
import type { Rule } from './types.js';

export const truncate: Rule = {
  id: 'truncate',
  severity: 'block',
  category: 'data-loss',
  summary: 'TRUNCATE destroys every row of the table, and with CASCADE of every table that references it.',
  ops: ['truncate'],
  checkChange(c, ctx) {
    if (c.op !== 'truncate') return;
    const tables = c.tables.filter((t) => holdsData(ctx, t));
    if (tables.length === 0) return;
    const reach = c.cascade ? truncateReach(ctx.catalog, tables.map((t) => t.q)).filter((q) => !ctx.isNew(q)) : [];
    const objects = [...tables.map((t) => displayName(t.q)), ...reach.map((q) => displayName(q))];
    const action = `TRUNCATE ${tables.map((t) => t.written).join(', ')}${c.cascade ? ' CASCADE' : ''}`;
    ctx.report({
      objects,
      action,
      message: `${action} destroys every row of ${prose(tables.map((t) => displayName(t.q)))}${reach.length > 0 ? `; CASCADE also empties ${prose(reach.map((q) => displayName(q)))}` : ''}`,
      suggestion: 'Delete only the rows you mean to (DELETE … WHERE …), in batches, after a backup; never CASCADE into tables you have not named.',
      cascade: reach.map((q) => displayName(q)),
    });
  },
};
