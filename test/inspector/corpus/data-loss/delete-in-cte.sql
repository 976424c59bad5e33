-- case: a DELETE hidden in a WITH
-- label: destructive
WITH gone AS (
  DELETE FROM audit_log RETURNING id
)
SELECT count(*) FROM gone;
-- expect: delete-all-rows@4 public.audit_log
