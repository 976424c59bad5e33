-- case: VACUUM FULL
-- label: hazard
VACUUM FULL audit_log;
-- expect: vacuum-full@3 public.audit_log
-- expect: missing-lock-timeout@3 public.audit_log
