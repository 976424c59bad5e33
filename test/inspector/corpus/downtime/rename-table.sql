-- case: RENAME TO
-- label: hazard
ALTER TABLE audit_log RENAME TO events;
-- expect: rename-table@3 public.audit_log public.events
-- expect: missing-lock-timeout@3 public.audit_log
