-- case: a DELETE with a real WHERE
-- label: safe
DELETE FROM sessions WHERE expires_at < now();
-- expect: nothing
