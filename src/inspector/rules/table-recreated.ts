/** DROP TABLE then CREATE TABLE of the same name: the table comes back empty. Replaces the drop-table finding. */
import { displayName, sameName } from '../catalog/names.js';
import type { Rule } from './types.js';

export const tableRecreated: Rule = {
  id: 'table-recreated',
  severity: 'block',
  category: 'data-loss',
  summary: 'A table dropped and created again under the same name in one migration: it comes back empty.',
  ops: ['create-table'],
  checkChange(c, ctx) {
    if (c.op !== 'create-table') return;
    const drop = ctx.migration.droppedTables.find((d) => sameName(d.table, c.table.q));
    if (!drop) return;
    ctx.claimTable(drop);
    const obj = displayName(c.table.q);
    ctx.report({
      objects: [obj],
      action: `DROP TABLE ${drop.written}`,
      message: `DROP TABLE ${drop.written} followed by CREATE TABLE ${c.table.written} recreates ${obj} empty: every row it held is gone`,
      suggestion: `Change the table in place with ALTER TABLE; or create the new table under another name, copy the rows (INSERT … SELECT), and swap names in a later migration.`,
      supersedes: { rule: 'drop-table', object: obj, call: drop.call },
    });
  },
};
