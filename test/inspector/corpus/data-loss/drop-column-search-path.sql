-- case: SET search_path earlier decides which table
-- label: destructive
SET search_path TO billing, public;
ALTER TABLE invoices DROP COLUMN amount;
-- expect: drop-column@4 billing.invoices.amount
-- expect: missing-lock-timeout@4 billing.invoices
