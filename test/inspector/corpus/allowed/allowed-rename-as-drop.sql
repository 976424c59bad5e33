-- case: an allowed rename-as-drop
-- label: allowed
-- tripwire:allow rename-as-drop phone is re-imported from the CRM export afterwards
ALTER TABLE "customers" DROP COLUMN "phone",
ADD COLUMN     "phone_number" TEXT;
-- expect: rename-as-drop@4 public.customers.phone public.customers.phone_number (suppressed)
-- expect: missing-lock-timeout@4 public.customers
