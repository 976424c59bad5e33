-- case: Django: two fields renamed at once, matched by type
-- label: destructive
BEGIN;
ALTER TABLE "orders" DROP COLUMN "note" CASCADE;
ALTER TABLE "orders" DROP COLUMN "placed_at" CASCADE;
ALTER TABLE "orders" ADD COLUMN "comment" text NULL;
ALTER TABLE "orders" ADD COLUMN "ordered_at" timestamp with time zone NULL;
COMMIT;
-- expect: rename-as-drop@4 public.orders.note public.orders.comment
-- expect: rename-as-drop@5 public.orders.placed_at public.orders.ordered_at
-- expect: missing-lock-timeout@4 public.orders
