-- case: DELETE without WHERE
-- label: destructive
DELETE FROM sessions;
-- expect: delete-all-rows@3 public.sessions
