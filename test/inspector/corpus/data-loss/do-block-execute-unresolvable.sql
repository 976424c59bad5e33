-- case: DO block EXECUTE of a string built from a query
-- label: destructive
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE 'DROP TABLE ' || r.tablename;
  END LOOP;
END
$$;
-- expect: dynamic-sql@8
