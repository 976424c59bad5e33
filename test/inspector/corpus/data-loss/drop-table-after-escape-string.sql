-- case: an E'' string with an escaped quote and a fake DROP
-- label: destructive
INSERT INTO audit_log (event) VALUES (E'it\'s fine; DROP TABLE customers; --');
DROP TABLE sessions;
-- expect: drop-table@4 public.sessions
-- expect: missing-lock-timeout@4 public.sessions
