-- case: varchar(20) → varchar(10): checked and rewritten, not truncated
-- label: hazard
ALTER TABLE customers ALTER COLUMN phone TYPE varchar(10);
-- expect: type-change-rewrite@3 public.customers.phone
-- expect: missing-lock-timeout@3 public.customers
