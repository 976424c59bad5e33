-- case: WHERE true
-- label: destructive
DELETE FROM audit_log WHERE true;
-- expect: delete-all-rows@3 public.audit_log
