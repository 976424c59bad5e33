-- case: a DELETE inside a DO block
-- label: destructive
DO $$
BEGIN
  DELETE FROM audit_log;
END
$$;
-- expect: delete-all-rows@5 public.audit_log
