/**
 * The one error catalogue. Codes are stable: tests, docs/errors.md and clients rely on them.
 * `sqlstate` is set where the error reaches a PostgreSQL client as an ErrorResponse.
 * Class TW is tripwire's own SQLSTATE class: PostgreSQL leaves classes starting with I–Z to implementations.
 */
export const ERROR_CATALOGUE = {
  TW_CONFIG_INVALID: { sqlstate: undefined, template: 'invalid configuration: {detail}' },
  TW_LISTEN_FAILED: { sqlstate: undefined, template: 'cannot listen on {address}: {detail}' },
  TW_UPSTREAM_URL_INVALID: { sqlstate: undefined, template: 'invalid upstream URL {url}: {detail}' },
  TW_MESSAGE_LENGTH_INVALID: { sqlstate: '08P01', template: 'invalid message length {length} for message type "{type}"' },
  TW_MESSAGE_TOO_LARGE: {
    sqlstate: '08P01',
    template: 'message of type "{type}" is {length} bytes, over the limit of {limit} (maxMessageBytes)',
  },
  TW_STARTUP_PACKET_INVALID: { sqlstate: '08P01', template: 'invalid startup packet: {detail}' },
  TW_PROTOCOL_UNSUPPORTED: { sqlstate: '0A000', template: 'unsupported frontend protocol {major}.{minor}' },
  TW_PLAINTEXT_AFTER_SSL_REQUEST: {
    sqlstate: '08P01',
    template: 'received unencrypted data after SSL request: possible man-in-the-middle attempt',
  },
  TW_UPSTREAM_UNREACHABLE: { sqlstate: '08006', template: 'tripwire cannot reach the upstream server {address}: {detail}' },
  TW_UPSTREAM_TLS_REFUSED: { sqlstate: '08006', template: 'the upstream server {address} refused TLS, which sslmode={sslmode} requires' },
  TW_UPSTREAM_LOST: { sqlstate: '08006', template: 'the upstream server closed the connection unexpectedly' },
  TW_SHUTTING_DOWN: { sqlstate: '57P01', template: 'terminating connection because tripwire is shutting down' },
  TW_HELD: { sqlstate: 'TW001', template: 'tripwire held: {summary}' },
  TW_TOKEN_BAD_SIGNATURE: { sqlstate: 'TW002', template: 'the plan token is not valid ({detail}): it was not signed by a key this proxy trusts, or it was altered; sign it with a key whose public half the proxy has (--plan-public-key)' },
  TW_TOKEN_EXPIRED: { sqlstate: 'TW003', template: 'the plan token expired at {at}: sign a new one' },
  TW_TOKEN_WRONG_DATABASE: { sqlstate: 'TW004', template: 'the plan token is for database {planned}, not {database}: sign a plan for {database}' },
  TW_TOKEN_WRONG_STATEMENT: { sqlstate: 'TW005', template: 'the plan token does not cover this statement: it authorizes other statements; sign a plan that includes this one exactly' },
  TW_TOKEN_USED: { sqlstate: 'TW006', template: 'the plan token {id} was already used for this statement: each planned statement runs once; sign a new plan to run it again' },
  TW_TOKEN_STALE: { sqlstate: 'TW007', template: 'the plan token is stale: the live schema changed since it was planned; rebase the change and plan again' },
  TW_TOKEN_NO_KEYS: { sqlstate: 'TW008', template: 'no plan public key is configured (--plan-public-key), so no plan token can be accepted' },
  TW_PLAN_SET_NOT_ALONE: { sqlstate: 'TW010', template: 'SET tripwire.plan must be sent on its own, not with other statements' },
  TW_INSPECTOR_NOT_LOADED: { sqlstate: undefined, template: 'the SQL inspector is not loaded: await loadInspector() once before inspect()' },
  TW_LINT_UNREADABLE: { sqlstate: undefined, template: 'cannot read {path}: {detail}' },
  TW_LINT_SCHEMA_INVALID: { sqlstate: undefined, template: 'the schema file {path} cannot be used: {detail}' },
  TW_LINT_USAGE: { sqlstate: undefined, template: '{detail}' },
  TW_POLICY_INVALID: { sqlstate: undefined, template: 'invalid policy {source}:\n{detail}' },
  TW_POLICY_UNREADABLE: { sqlstate: undefined, template: 'cannot read policy {path}: {detail}' },
  TW_STATE_UNAVAILABLE: { sqlstate: undefined, template: 'the state database {address} is unreachable: {detail}' },
  TW_STATE_MIGRATION_FAILED: { sqlstate: undefined, template: 'cannot migrate the tripwire state schema to version {version}: {detail}' },
  TW_API_UNAUTHORIZED: { sqlstate: undefined, template: 'a valid API key is required: send Authorization: Bearer <key>' },
  TW_API_FORBIDDEN: { sqlstate: undefined, template: 'the {role} role cannot {action}: it needs {needed}' },
  TW_API_FOUR_EYES: { sqlstate: undefined, template: '{reviewer} authored change {id} and cannot review it: a change needs a second pair of eyes' },
  TW_API_BAD_REQUEST: { sqlstate: undefined, template: '{detail}' },
  TW_API_NOT_FOUND: { sqlstate: undefined, template: '{what} not found' },
  TW_API_CONFLICT: { sqlstate: undefined, template: '{detail}' },
  TW_API_INTERNAL: { sqlstate: undefined, template: 'internal error: {detail}' },
  TW_RELEASE_REFUSED: { sqlstate: undefined, template: 'change {id} cannot be released: {detail}' },
  TW_NO_SIGNING_KEY: { sqlstate: undefined, template: 'change {id} needs a plan token and no plan signing key is configured (--plan-signing-key)' },
  TW_SHIP_REQUEST_FAILED: { sqlstate: undefined, template: '{method} {url} failed: {detail}' },
  TW_TOKEN_REVOKED: { sqlstate: 'TW020', template: 'the plan token of change {change} was revoked by the ship queue: {reason}' },
  TW_NOT_RELEASED: { sqlstate: 'TW001', template: 'no plan token was presented, and the ship queue has released none for database {database} that covers it' },
  TW_STAGING_NOT_CONFIGURED: { sqlstate: undefined, template: 'no staging database is configured for {target}: start tripwire with --staging {target}=<staging URL>' },
  TW_STAGING_DRIFT: { sqlstate: undefined, template: 'staging has drifted from production:\n{detail}' },
  TW_REHEARSAL_BUSY: { sqlstate: undefined, template: 'change {id} is already being rehearsed: follow it at GET /api/changes/{id}/rehearsal' },
  TW_STAGING_BUSY: { sqlstate: undefined, template: 'the staging database of {target} is busy with another rehearsal: try again when it has finished' },
  TW_REHEARSAL_FAILED: { sqlstate: undefined, template: 'the rehearsal could not run: {detail}' },
  TW_PG_TOOL_MISSING: { sqlstate: undefined, template: '{tool} {major} or newer is needed to copy from a PostgreSQL {major} server, and none was found on PATH or under /usr/lib/postgresql: install the postgresql-client package of that version' },
  TW_FRESH_COPY_FAILED: { sqlstate: undefined, template: 'copying {table} from production to staging failed: {detail}' },
} as const satisfies Record<string, { sqlstate: string | undefined; template: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

function render(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

export class TripwireError extends Error {
  readonly code: ErrorCode;
  readonly sqlstate: string | undefined;
  readonly params: Record<string, unknown>;

  constructor(code: ErrorCode, params: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(render(ERROR_CATALOGUE[code].template, params), options);
    this.name = 'TripwireError';
    this.code = code;
    this.sqlstate = ERROR_CATALOGUE[code].sqlstate;
    this.params = params;
  }
}
