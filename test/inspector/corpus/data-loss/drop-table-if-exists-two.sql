-- case: IF EXISTS with one table that exists and one that does not
-- label: destructive
DROP TABLE IF EXISTS sessions, old_sessions;
-- expect: drop-table@3 public.sessions
-- expect: missing-lock-timeout@3 public.sessions
