-- case: pg_dump's set_config('search_path') decides the schema
-- label: destructive
SELECT pg_catalog.set_config('search_path', 'billing', false);
DROP TABLE invoices;
-- expect: drop-table@4 billing.invoices
-- expect: missing-lock-timeout@4 billing.invoices
