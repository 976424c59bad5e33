/** CONCURRENTLY (and other statements PostgreSQL refuses in a transaction block) inside a transaction. */
import { displayName } from '../catalog/names.js';
import type { Rule } from './types.js';

export const concurrentlyInTransaction: Rule = {
  id: 'concurrently-in-transaction',
  severity: 'warn',
  category: 'downtime',
  summary: 'CREATE/DROP INDEX CONCURRENTLY, VACUUM and similar inside a transaction block: PostgreSQL refuses them and the migration fails there.',
  checkStatement(ctx) {
    if (ctx.statement.transactional || !ctx.inTransaction) return;
    const kind = ctx.statement.kind;
    ctx.report({
      objects: ctx.statement.locks.map((l) => displayName(l.q)),
      action: kind,
      message: `${kind} cannot run inside a transaction block (an explicit BEGIN, or several statements sent as one query): PostgreSQL refuses it and the migration fails here`,
      suggestion: 'Put it in a migration of its own that runs outside a transaction (most tools have a per-migration switch to disable the transaction).',
    });
  },
};
