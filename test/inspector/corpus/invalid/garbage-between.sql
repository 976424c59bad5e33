-- case: an unreadable statement between two others
-- label: invalid
SELECT 1;
this is not sql;
DROP TABLE sessions;
-- expect: syntax-error@4
-- expect: drop-table@5 public.sessions
-- expect: missing-lock-timeout@5 public.sessions
