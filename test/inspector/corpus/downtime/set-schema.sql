-- case: SET SCHEMA moves the table away from running code
-- label: hazard
ALTER TABLE audit_log SET SCHEMA billing;
-- expect: rename-table@3 public.audit_log billing.audit_log
-- expect: missing-lock-timeout@3 public.audit_log
