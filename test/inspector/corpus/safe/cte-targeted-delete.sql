-- case: a DELETE in a WITH, restricted
-- label: safe
WITH expired AS (
  DELETE FROM sessions WHERE expires_at < now() RETURNING id
)
INSERT INTO audit_log (event) SELECT 'expired ' || id FROM expired;
-- expect: nothing
