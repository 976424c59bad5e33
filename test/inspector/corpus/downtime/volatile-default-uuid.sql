-- case: ADD COLUMN … DEFAULT gen_random_uuid()
-- label: hazard
ALTER TABLE audit_log ADD COLUMN trace_id uuid DEFAULT gen_random_uuid();
-- expect: volatile-default@3 public.audit_log.trace_id
-- expect: missing-lock-timeout@3 public.audit_log
