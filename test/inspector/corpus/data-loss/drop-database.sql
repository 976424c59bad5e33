-- case: DROP DATABASE
-- label: destructive
DROP DATABASE crm;
-- expect: drop-database@3 crm
