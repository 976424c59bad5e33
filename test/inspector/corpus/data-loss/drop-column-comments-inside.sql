-- case: comments inside the statement
-- label: destructive
ALTER TABLE /* looks harmless */ customers
-- nothing to see here
  DROP /* really */ COLUMN phone;
-- expect: drop-column@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
