-- case: an unterminated string swallows the rest
-- label: invalid
INSERT INTO audit_log (event) VALUES ('oops);
DROP TABLE sessions;
-- expect: syntax-error@3
