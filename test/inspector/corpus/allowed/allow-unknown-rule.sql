-- case: an allow naming a rule that does not exist
-- label: invalid
-- tripwire:allow drop-everything because
DROP TABLE audit_log;
-- expect: allow-invalid@3
-- expect: drop-table@4 public.audit_log
-- expect: missing-lock-timeout@4 public.audit_log
