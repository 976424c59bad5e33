-- case: an allowed DROP COLUMN, with a reason
-- label: allowed
-- tripwire:allow drop-column phone moved to contacts.phone in migration 0041
ALTER TABLE customers DROP COLUMN phone;
-- expect: drop-column@4 public.customers.phone (suppressed)
-- expect: missing-lock-timeout@4 public.customers
