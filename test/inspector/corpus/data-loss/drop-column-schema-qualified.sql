-- case: a table in another schema
-- label: destructive
ALTER TABLE billing.invoices DROP COLUMN amount;
-- expect: drop-column@3 billing.invoices.amount
-- expect: missing-lock-timeout@3 billing.invoices
