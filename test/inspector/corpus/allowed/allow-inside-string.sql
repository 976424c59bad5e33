-- case: an allow inside a string is not a directive
-- label: destructive
SELECT '-- tripwire:allow drop-table not a directive';
DROP TABLE audit_log;
-- expect: drop-table@4 public.audit_log
-- expect: missing-lock-timeout@4 public.audit_log
