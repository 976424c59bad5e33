/** An ACCESS EXCLUSIVE lock requested with no lock_timeout: queued behind one long query, it stalls everyone. */
import { displayName } from '../catalog/names.js';
import { prose } from './support.js';
import type { Rule } from './types.js';

export const missingLockTimeout: Rule = {
  id: 'missing-lock-timeout',
  severity: 'warn',
  category: 'downtime',
  summary: 'An ACCESS EXCLUSIVE lock on an existing table with no lock_timeout set earlier (reported once per migration).',
  checkStatement(ctx) {
    if (ctx.lockTimeoutSet) return;
    const tables = ctx.statement.locks.filter((l) => l.mode === 'ACCESS EXCLUSIVE' && ctx.exists(l.q) !== 'no' && !ctx.isNew(l.q)).map((l) => displayName(l.q));
    if (tables.length === 0 || !ctx.once('missing-lock-timeout')) return;
    ctx.report({
      objects: tables,
      action: ctx.statement.kind,
      message: `${ctx.statement.kind} takes an ACCESS EXCLUSIVE lock on ${prose(tables)} with no lock_timeout set: if it waits behind a long-running query, every query on ${prose(tables)} queues behind it`,
      suggestion: "Start the migration with SET lock_timeout = '5s' (and retry on timeout), so a blocked ALTER gives up instead of stalling the application.",
    });
  },
};
