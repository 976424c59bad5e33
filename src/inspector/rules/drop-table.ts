/** DROP TABLE destroys every row of an existing table; CASCADE also takes views and foreign keys. */
import { dependentViews, referencingForeignKeys } from '../catalog/dependents.js';
import { displayName } from '../catalog/names.js';
import { holdsData, prose } from './support.js';
import type { Rule } from './types.js';

export const dropTable: Rule = {
  id: 'drop-table',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP TABLE destroys every row of a table that exists and was not created by this migration.',
  ops: ['drop-table'],
  checkChange(c, ctx) {
    if (c.op !== 'drop-table' || c.kind !== 'table' || !holdsData(ctx, c.table)) return;
    const obj = displayName(c.table.q);
    const views = c.cascade ? dependentViews(ctx.catalog, c.table.q).map((v) => displayName(v)) : [];
    const fks = c.cascade ? referencingForeignKeys(ctx.catalog, c.table.q).map((f) => `foreign key ${f.constraint} on ${displayName(f.table)}`) : [];
    const cascade = [...views.map((v) => `view ${v}`), ...fks];
    const action = `DROP TABLE ${c.table.written}${c.cascade ? ' CASCADE' : ''}`;
    ctx.report({
      objects: [obj, ...views],
      action,
      message: `${action} destroys every row of ${obj}${cascade.length > 0 ? `; CASCADE also drops ${prose(cascade)}` : ''}`,
      suggestion: `Keep the table until nothing reads it: rename it out of the way (ALTER TABLE ${c.table.written} RENAME TO ${c.table.q.name}_retired), take a backup, and drop it in a later migration.`,
      cascade,
    });
  },
};
