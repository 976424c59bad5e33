-- case: Sequelize: removeColumn + addColumn, schema-qualified
-- label: destructive
ALTER TABLE "public"."customers" DROP COLUMN "phone";
ALTER TABLE "public"."customers" ADD COLUMN "phoneNumber" VARCHAR(255);
-- expect: rename-as-drop@3 public.customers.phone public.customers."phoneNumber"
-- expect: missing-lock-timeout@3 public.customers
