-- case: an ALTER TABLE with no lock_timeout
-- label: hazard
ALTER TABLE customers ADD COLUMN nickname text;
-- expect: missing-lock-timeout@3 public.customers
