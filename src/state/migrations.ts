/**
 * The `tripwire` schema in the state database, as versioned migrations. Append only: a released
 * migration never changes; a new version is added instead. `migrate.ts` runs them at start.
 */
export interface StateMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const STATE_SCHEMA = 'tripwire';

const V1 = `
CREATE TABLE tripwire.api_keys (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('ci', 'approver', 'admin')),
  secret_hash bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

CREATE TABLE tripwire.changes (
  id                  bigserial PRIMARY KEY,
  title               text NOT NULL,
  author              text NOT NULL,
  submitted_by        text NOT NULL,
  revision            text NOT NULL,
  base_revision       text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('schema', 'code', 'both')),
  target              text NOT NULL,
  migrations          jsonb NOT NULL,
  depends_on          bigint[] NOT NULL DEFAULT '{}',
  requires            text[] NOT NULL DEFAULT '{}',
  reads               text[] NOT NULL DEFAULT '{}',
  supersedes          bigint REFERENCES tripwire.changes (id),
  base_fingerprint    text NOT NULL,
  findings            jsonb NOT NULL,
  effect              jsonb NOT NULL,
  destructive         jsonb NOT NULL,
  status              text NOT NULL CHECK (status IN ('queued', 'needs-rebase', 'rejected', 'released', 'applied', 'deployed', 'superseded')),
  status_reason       text NOT NULL DEFAULT '',
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  released_at         timestamptz,
  applied_at          timestamptz,
  applied_fingerprint text,
  deployed_at         timestamptz
);
CREATE INDEX changes_target_status ON tripwire.changes (target, status);

CREATE TABLE tripwire.reviews (
  change_id  bigint NOT NULL REFERENCES tripwire.changes (id),
  reviewer   text NOT NULL,
  key_id     text NOT NULL,
  verdict    text NOT NULL CHECK (verdict IN ('approve', 'reject')),
  comment    text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (change_id, reviewer)
);

CREATE TABLE tripwire.deploys (
  id                 bigserial PRIMARY KEY,
  target             text NOT NULL,
  revision           text NOT NULL,
  schema_fingerprint text NOT NULL,
  changes            bigint[] NOT NULL DEFAULT '{}',
  recorded_by        text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deploys_target ON tripwire.deploys (target, id DESC);

CREATE TABLE tripwire.applied_migrations (
  target     text NOT NULL,
  name       text NOT NULL,
  checksum   text NOT NULL,
  change_id  bigint REFERENCES tripwire.changes (id),
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (target, name)
);

CREATE TABLE tripwire.plan_keys (
  kid        text PRIMARY KEY,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tripwire.plan_tokens (
  id                 text PRIMARY KEY,
  change_id          bigint NOT NULL REFERENCES tripwire.changes (id),
  target             text NOT NULL,
  schema_fingerprint text NOT NULL,
  statements         text[] NOT NULL,
  token              text NOT NULL,
  expires_at         timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  revoked_at         timestamptz,
  revoked_reason     text
);
CREATE INDEX plan_tokens_live ON tripwire.plan_tokens (target) WHERE revoked_at IS NULL;

CREATE TABLE tripwire.token_uses (
  token_id  text NOT NULL,
  statement text NOT NULL,
  used_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (token_id, statement)
);

CREATE TABLE tripwire.policies (
  name       text PRIMARY KEY,
  body       text NOT NULL,
  version    integer NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tripwire.rehearsals (
  id         bigserial PRIMARY KEY,
  change_id  bigint NOT NULL REFERENCES tripwire.changes (id),
  state      text NOT NULL CHECK (state IN ('green', 'red', 'pending')),
  reason     text NOT NULL,
  checksum   text NOT NULL,
  report     jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tripwire.audit (
  id               bigserial PRIMARY KEY,
  time             timestamptz NOT NULL DEFAULT now(),
  event            text NOT NULL,
  "user"           text,
  database         text NOT NULL,
  application_name text,
  client           text NOT NULL,
  statement        text NOT NULL,
  rules            text[] NOT NULL,
  objects          text[] NOT NULL,
  verdict          text NOT NULL,
  reason           text NOT NULL,
  token_id         text,
  instance         text NOT NULL
);
CREATE INDEX audit_time ON tripwire.audit (time);

CREATE FUNCTION tripwire.audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tripwire.audit is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON tripwire.audit
  FOR EACH ROW EXECUTE FUNCTION tripwire.audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON tripwire.audit
  FOR EACH STATEMENT EXECUTE FUNCTION tripwire.audit_is_append_only();
`;

/** Columns a change declares discarded (their values may vanish in a rehearsal), each with a reason. */
const V2 = `
ALTER TABLE tripwire.changes ADD COLUMN discards jsonb NOT NULL DEFAULT '[]';
`;

/**
 * Rehearsals in progress, shared by every instance: who runs which, its progress lines, and a
 * heartbeat so a run whose instance died is not taken for a live one.
 */
const V3 = `
CREATE TABLE tripwire.rehearsal_runs (
  change_id     bigint PRIMARY KEY REFERENCES tripwire.changes (id),
  state         text NOT NULL CHECK (state IN ('running', 'green', 'red', 'failed')),
  by_actor      text NOT NULL,
  fresh         boolean NOT NULL,
  instance      text NOT NULL,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  heartbeat_at  timestamptz NOT NULL,
  progress      jsonb NOT NULL DEFAULT '[]',
  summary       text,
  report        jsonb,
  error         text
);
`;

export const STATE_MIGRATIONS: readonly StateMigration[] = [
  { version: 1, name: 'queue, keys, policies, tokens, audit', sql: V1 },
  { version: 2, name: 'declared discards', sql: V2 },
  { version: 3, name: 'shared rehearsal runs', sql: V3 },
];
