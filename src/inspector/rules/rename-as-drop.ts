/**
 * A column dropped and then added again on the same table, under the same name or a new name of
 * a compatible type: what ORMs generate for a rename they did not recognise. The new column starts
 * empty, so the "rename" destroys the data. This replaces the drop-column finding it explains.
 */
import { displayName, quoteIdent, sameName } from '../catalog/names.js';
import type { ChangeOf } from '../model/changes.js';
import { compatibleTypes } from '../model/type-names.js';
import type { DroppedColumn } from '../state.js';
import type { Rule, RuleContext } from './types.js';

/** The earlier drop this ADD re-creates: the same name first, else one of a compatible type. */
function matchDrop(c: ChangeOf<'add-column'>, ctx: RuleContext): DroppedColumn | undefined {
  const drops = ctx.migration.droppedColumns.filter((d) => sameName(d.table, c.table.q));
  return drops.find((d) => d.column === c.column.name) ?? drops.find((d) => d.type === null || compatibleTypes(d.type, c.column.entry.type));
}

/** `customers.phone`: the table as the migration wrote it, then the column. */
function short(written: string, column: string): string {
  return `${written}.${quoteIdent(column)}`;
}

export const renameAsDrop: Rule = {
  id: 'rename-as-drop',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP COLUMN followed by ADD COLUMN on the same table (same name, or a new name of a compatible type): a rename done as a drop.',
  ops: ['add-column'],
  checkChange(c, ctx) {
    if (c.op !== 'add-column') return;
    const drop = matchDrop(c, ctx);
    if (!drop) return;
    ctx.claimColumn(drop);
    const dropped = displayName(drop.table, drop.column);
    const added = displayName(c.table.q, c.column.name);
    const same = drop.column === c.column.name;
    const what = same ? 'recreates it empty' : `adds ${short(c.table.written, c.column.name)} empty`;
    ctx.report({
      objects: same ? [dropped] : [dropped, added],
      action: `ALTER TABLE ${drop.written} DROP COLUMN ${quoteIdent(drop.column)}`,
      message: `This "rename" is a drop: it drops ${short(drop.written, drop.column)} and ${what} — the data goes with it.`,
      suggestion: same
        ? `Change the column in place (ALTER TABLE ${c.table.written} ALTER COLUMN ${quoteIdent(c.column.name)} TYPE … USING …). If it must be rebuilt, add the new column under another name, copy the data first (UPDATE … SET new = ${quoteIdent(drop.column)}), then drop the old column and RENAME COLUMN the new one to ${quoteIdent(c.column.name)}.`
        : `Use ALTER TABLE ${c.table.written} RENAME COLUMN ${quoteIdent(drop.column)} TO ${quoteIdent(c.column.name)}; or add the new column, copy the data (UPDATE … SET ${quoteIdent(c.column.name)} = ${quoteIdent(drop.column)}), and drop the old one in a later migration.`,
      supersedes: { rule: 'drop-column', object: dropped, call: drop.call },
    });
  },
};
