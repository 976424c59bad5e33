-- case: drizzle-kit: statement breakpoints between DROP and ADD
-- label: destructive
ALTER TABLE "customers" DROP COLUMN IF EXISTS "phone";--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "phone_number" varchar(20);
-- expect: rename-as-drop@3 public.customers.phone public.customers.phone_number
-- expect: missing-lock-timeout@3 public.customers
