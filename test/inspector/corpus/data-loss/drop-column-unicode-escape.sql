-- case: a U&"" escape spells phone
-- label: destructive
ALTER TABLE customers DROP COLUMN U&"ph\006Fne";
-- expect: drop-column@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
