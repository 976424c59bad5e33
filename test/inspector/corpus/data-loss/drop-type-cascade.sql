-- case: DROP TYPE … CASCADE drops the columns of that type
-- label: destructive
DROP TYPE mood CASCADE;
-- expect: drop-type-cascade@3 public.customers.mood
