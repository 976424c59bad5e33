-- case: EXECUTE of a parameter: unknown at CREATE, resolved at the call
-- label: destructive
CREATE FUNCTION drop_any(tbl text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP TABLE %I', tbl);
END
$$;
SELECT drop_any('audit_log');
-- expect: dynamic-sql@5
-- expect: drop-table@8 public.audit_log
-- expect: missing-lock-timeout@8 public.audit_log
