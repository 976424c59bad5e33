-- case: lint without --schema assumes unknown tables exist
-- label: destructive
ALTER TABLE widgets DROP COLUMN gadget;
-- schema: none
-- expect: drop-column@3 public.widgets.gadget
-- expect: missing-lock-timeout@3 public.widgets
