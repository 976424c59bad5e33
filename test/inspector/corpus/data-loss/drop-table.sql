-- case: DROP TABLE
-- label: destructive
DROP TABLE audit_log;
-- expect: drop-table@3 public.audit_log
-- expect: missing-lock-timeout@3 public.audit_log
