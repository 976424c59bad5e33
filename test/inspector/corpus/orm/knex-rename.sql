-- case: knex schema builder: dropColumn + string
-- label: destructive
alter table "customers" drop column "phone";
alter table "customers" add column "phone_number" varchar(255);
-- expect: rename-as-drop@3 public.customers.phone public.customers.phone_number
-- expect: missing-lock-timeout@3 public.customers
