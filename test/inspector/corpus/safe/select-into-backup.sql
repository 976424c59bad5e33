-- case: SELECT INTO a new backup table
-- label: safe
SELECT * INTO customers_backup FROM customers;
-- expect: nothing
