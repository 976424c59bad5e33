-- case: WHERE NOT false
-- label: destructive
DELETE FROM sessions WHERE NOT false;
-- expect: delete-all-rows@3 public.sessions
