-- case: DROP TABLE then CREATE TABLE of the same name
-- label: destructive
DROP TABLE sessions;
CREATE TABLE sessions (id uuid PRIMARY KEY, customer_id bigint, expires_at timestamptz, ip inet);
-- expect: table-recreated@3 public.sessions
-- expect: missing-lock-timeout@3 public.sessions
