-- case: Django sqlmigrate: Remove field, Add field
-- label: destructive
BEGIN;
--
-- Remove field phone from customer
--
ALTER TABLE "customers" DROP COLUMN "phone" CASCADE;
--
-- Add field phone_number to customer
--
ALTER TABLE "customers" ADD COLUMN "phone_number" varchar(20) NULL;
COMMIT;
-- expect: rename-as-drop@7 public.customers.phone public.customers.phone_number
-- expect: missing-lock-timeout@7 public.customers
