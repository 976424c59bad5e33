/** A `-- tripwire:allow` directive that names no rule, an unknown rule, or gives no reason. Reported by lint. */
import type { Rule } from './types.js';

export const allowInvalid: Rule = {
  id: 'allow-invalid',
  severity: 'block',
  category: 'directive',
  summary: 'A `-- tripwire:allow` directive that names no rule, an unknown rule, or gives no reason.',
};
