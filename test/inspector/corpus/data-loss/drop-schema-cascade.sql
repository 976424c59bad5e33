-- case: DROP SCHEMA … CASCADE
-- label: destructive
DROP SCHEMA billing CASCADE;
-- expect: drop-schema@3 billing.invoices billing.payments
