-- case: a PL/pgSQL procedure, created then called
-- label: destructive
CREATE PROCEDURE clear_audit() LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE audit_log;
END
$$;
CALL clear_audit();
-- expect: truncate@5 public.audit_log
-- expect: missing-lock-timeout@5 public.audit_log
-- expect: truncate@8 public.audit_log
-- expect: missing-lock-timeout@8 public.audit_log
