-- case: DROP VIEW: a view holds no data
-- label: safe
SET lock_timeout = '5s';
DROP VIEW customer_totals;
-- expect: nothing
