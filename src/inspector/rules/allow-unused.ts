/** A `-- tripwire:allow` directive that suppressed nothing. Reported by lint. */
import type { Rule } from './types.js';

export const allowUnused: Rule = {
  id: 'allow-unused',
  severity: 'warn',
  category: 'directive',
  summary: 'A `-- tripwire:allow` directive that suppressed nothing: the statement after it no longer does what it allowed.',
};
