-- case: DO block EXECUTE of a constant string
-- label: destructive
DO $$
BEGIN
  EXECUTE 'DROP TABLE ' || quote_ident('audit_log');
END
$$;
-- expect: drop-table@5 public.audit_log
-- expect: missing-lock-timeout@5 public.audit_log
