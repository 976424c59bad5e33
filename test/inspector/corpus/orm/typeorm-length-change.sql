-- case: TypeORM: a length change drops and re-adds the same column
-- label: destructive
ALTER TABLE "customers" DROP COLUMN "email";
ALTER TABLE "customers" ADD "email" character varying(320);
-- expect: rename-as-drop@3 public.customers.email
-- expect: missing-lock-timeout@3 public.customers
