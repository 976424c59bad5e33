-- case: a function that deletes expired rows only
-- label: safe
CREATE FUNCTION expire_sessions() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  DELETE FROM sessions WHERE expires_at < now();
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
-- expect: nothing
