-- case: DROP DOMAIN … CASCADE drops the columns of that domain
-- label: destructive
DROP DOMAIN email_address CASCADE;
-- expect: drop-type-cascade@3 billing.invoices.contact
