/** JSON Schemas of the admin API's bodies, params and queries. Unknown fields are errors. */

export const ID_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'Change id' } },
} as const;

const NAME = '^[a-z0-9][a-z0-9_-]{0,62}$';

export const POLICY_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', pattern: NAME, description: 'Policy name: lower-case letters, digits, - and _' } },
} as const;

export const POLICY_BODY = { type: 'string', minLength: 1, maxLength: 1024 * 1024, description: 'The policy as YAML (docs/policies.md)' } as const;

const REVISION = { type: 'string', minLength: 1, maxLength: 200, description: 'A git revision' } as const;
const DATABASE = { type: 'string', minLength: 1, maxLength: 63, description: 'The target database' } as const;
const OBJECT = { type: 'string', minLength: 3, maxLength: 400, pattern: '^[^.\\s]+\\.[^.\\s]+(\\.[^.\\s]+)?$', description: 'schema.table or schema.table.column' } as const;

export const CHANGE_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'author', 'revision', 'baseRevision', 'kind', 'target'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 300 },
    author: { type: 'string', minLength: 1, maxLength: 200, description: 'Who wrote the change; they cannot approve it' },
    revision: REVISION,
    baseRevision: REVISION,
    kind: { type: 'string', enum: ['schema', 'code', 'both'] },
    target: DATABASE,
    migrations: {
      type: 'array',
      maxItems: 1000,
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'sql'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 300 }, sql: { type: 'string', maxLength: 4 * 1024 * 1024 } },
      },
    },
    dependsOn: { type: 'array', maxItems: 100, items: { type: 'integer', minimum: 1 }, description: 'Changes that must be applied (schema) or deployed (code) first' },
    requires: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 300 }, description: 'Migrations (by name) that must be applied before this code' },
    reads: { type: 'array', maxItems: 10000, items: OBJECT, description: 'Tables and columns the code reads' },
    discards: {
      type: 'array',
      maxItems: 1000,
      description: 'Columns whose values the change means to discard: a rehearsal reports them as discarded, not lost, and approvers see the reason',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['column', 'reason'],
        properties: { column: { ...OBJECT, description: 'schema.table.column' }, reason: { type: 'string', minLength: 3, maxLength: 2000 } },
      },
    },
    supersedes: { type: 'integer', minimum: 1, description: 'The change this one resubmits' },
  },
} as const;

export const REVIEW_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: { comment: { type: 'string', maxLength: 10_000, default: '' } },
} as const;

export const REJECT_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['comment'],
  properties: { comment: { type: 'string', minLength: 1, maxLength: 10_000, description: 'Why: the author sees it' } },
} as const;

export const DEPLOY_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['target', 'revision'],
  properties: {
    target: DATABASE,
    revision: REVISION,
    schemaFingerprint: { type: 'string', minLength: 1, maxLength: 200, description: 'Optional: refused unless it is the live one' },
    changes: { type: 'array', maxItems: 1000, items: { type: 'integer', minimum: 1 }, description: 'Code changes this deploy makes live (besides those with this revision)' },
  },
} as const;

export const CHANGES_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: DATABASE,
    status: { type: 'string', enum: ['queued', 'needs-rebase', 'rejected', 'released', 'applied', 'deployed', 'superseded'] },
  },
} as const;

export const PLAN_QUERY = { type: 'object', additionalProperties: false, properties: { target: DATABASE } } as const;

export const KEY_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'role'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 200, description: 'Who holds the key' }, role: { type: 'string', enum: ['ci', 'approver', 'admin'] } },
} as const;

export const KEY_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{16}$' } },
} as const;

export const AUDIT_QUERY = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, database: DATABASE },
} as const;

export const REHEARSE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    freshFromProduction: { type: 'boolean', default: false, description: 'First rebuild the tables the migrations touch on staging from production (pg_dump | pg_restore)' },
    rowLimit: { type: 'integer', minimum: 1, maximum: 100_000_000, description: 'With freshFromProduction: rows copied at most per table (default 100,000)' },
    wait: { type: 'boolean', default: false, description: 'Answer when the rehearsal has finished (200) instead of at once (202)' },
  },
} as const;
