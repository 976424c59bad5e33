-- case: calling a function whose body empties a table
-- label: destructive
SELECT purge_sessions();
-- expect: delete-all-rows@3 public.sessions
