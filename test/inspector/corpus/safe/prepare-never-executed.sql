-- case: a destructive PREPARE that is deallocated unused
-- label: safe
PREPARE wipe AS DELETE FROM sessions;
DEALLOCATE wipe;
-- expect: nothing
