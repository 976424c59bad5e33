/** A psql meta-command (`\set`, `\i`, …) in a migration: not SQL, skipped. Reported by the engine. */
import type { Rule } from './types.js';

export const psqlMetaCommand: Rule = {
  id: 'psql-meta-command',
  severity: 'info',
  category: 'input',
  summary: 'A psql meta-command line (\\set, \\i, …): not SQL, so it is skipped and what it does is not checked.',
};
