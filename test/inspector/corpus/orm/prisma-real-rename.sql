-- case: Prisma with a real RENAME COLUMN: no data lost, running code breaks
-- label: hazard
ALTER TABLE "customers" RENAME COLUMN "phone" TO "phone_number";
-- expect: rename-column@3 public.customers.phone public.customers.phone_number
-- expect: missing-lock-timeout@3 public.customers
