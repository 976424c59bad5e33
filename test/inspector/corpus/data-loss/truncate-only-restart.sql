-- case: TRUNCATE TABLE ONLY … RESTART IDENTITY
-- label: destructive
TRUNCATE TABLE ONLY audit_log RESTART IDENTITY;
-- expect: truncate@3 public.audit_log
-- expect: missing-lock-timeout@3 public.audit_log
