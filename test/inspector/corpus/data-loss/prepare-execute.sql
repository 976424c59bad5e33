-- case: PREPARE … AS DELETE, then EXECUTE
-- label: destructive
PREPARE wipe AS DELETE FROM sessions;
EXECUTE wipe;
-- expect: delete-all-rows@4 public.sessions
