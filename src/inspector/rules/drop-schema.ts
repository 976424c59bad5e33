/** DROP SCHEMA … CASCADE destroys every table in the schema. */
import { displayName, quoteIdent } from '../catalog/names.js';
import { entry, keys } from '../catalog/records.js';
import { prose } from './support.js';
import type { Rule } from './types.js';

export const dropSchema: Rule = {
  id: 'drop-schema',
  severity: 'block',
  category: 'data-loss',
  summary: 'DROP SCHEMA … CASCADE destroys every table in the schema, with its rows.',
  ops: ['drop-schema'],
  checkChange(c, ctx) {
    // Without CASCADE PostgreSQL refuses to drop a schema that holds anything: nothing is lost.
    if (c.op !== 'drop-schema' || c.exists === 'no' || !c.cascade) return;
    const schema = entry(ctx.catalog.schemas, c.schema);
    const tables = keys(schema?.tables)
      .map((name) => ({ schema: c.schema, name }))
      .filter((q) => !ctx.isNew(q))
      .map((q) => displayName(q));
    if (schema && tables.length === 0) return;
    const action = `DROP SCHEMA ${quoteIdent(c.schema)} CASCADE`;
    ctx.report({
      objects: tables,
      action,
      message: tables.length > 0 ? `${action} destroys every table in it, with all their rows: ${prose(tables)}` : `${action} destroys every table in schema ${quoteIdent(c.schema)}, with all their rows`,
      suggestion: 'Drop the tables you mean to drop one by one, after a backup; a schema should only be dropped once it is empty, without CASCADE.',
    });
  },
};
