-- case: TypeORM: DROP COLUMN then ADD with a new name
-- label: destructive
ALTER TABLE "customers" DROP COLUMN "phone";
ALTER TABLE "customers" ADD "phoneNumber" character varying(20);
-- expect: rename-as-drop@3 public.customers.phone public.customers."phoneNumber"
-- expect: missing-lock-timeout@3 public.customers
