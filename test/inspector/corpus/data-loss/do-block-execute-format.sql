-- case: DO block EXECUTE format() with a constant variable
-- label: destructive
DO $$
DECLARE
  target text := 'sessions';
BEGIN
  EXECUTE format('TRUNCATE %I', target);
END
$$;
-- expect: truncate@7 public.sessions
-- expect: missing-lock-timeout@7 public.sessions
