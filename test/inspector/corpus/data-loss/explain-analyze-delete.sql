-- case: EXPLAIN ANALYZE runs the DELETE
-- label: destructive
EXPLAIN ANALYZE DELETE FROM sessions;
-- expect: delete-all-rows@3 public.sessions
