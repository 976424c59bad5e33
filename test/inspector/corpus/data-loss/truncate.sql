-- case: TRUNCATE
-- label: destructive
TRUNCATE sessions;
-- expect: truncate@3 public.sessions
-- expect: missing-lock-timeout@3 public.sessions
