-- case: drizzle-kit: a new table and its foreign key in a DO block
-- label: safe
CREATE TABLE IF NOT EXISTS "invoices_archive" (
  "id" bigserial PRIMARY KEY NOT NULL,
  "invoice_id" bigint NOT NULL
);
--> statement-breakpoint
DO $$ BEGIN
 ALTER TABLE "invoices_archive" ADD CONSTRAINT "invoices_archive_invoice_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;
EXCEPTION
 WHEN duplicate_object THEN null;
END $$;
-- expect: nothing
