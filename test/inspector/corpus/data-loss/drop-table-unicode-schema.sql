-- case: quoted schema and a U&"" table name
-- label: destructive
DROP TABLE "billing".U&"\0069nvoices";
-- expect: drop-table@3 billing.invoices
-- expect: missing-lock-timeout@3 billing.invoices
