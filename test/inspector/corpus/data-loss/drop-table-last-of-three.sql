-- case: the destructive statement last on one line
-- label: destructive
SELECT count(*) FROM customers; SELECT count(*) FROM orders; DROP TABLE audit_log;
-- expect: drop-table@3 public.audit_log
-- expect: missing-lock-timeout@3 public.audit_log
