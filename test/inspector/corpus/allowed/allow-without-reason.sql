-- case: an allow with no reason
-- label: invalid
-- tripwire:allow drop-table
DROP TABLE audit_log;
-- expect: allow-invalid@3
-- expect: drop-table@4 public.audit_log
-- expect: missing-lock-timeout@4 public.audit_log
