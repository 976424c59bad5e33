-- case: a new schema with a table
-- label: safe
CREATE SCHEMA reporting;
CREATE TABLE reporting.daily_totals (day date PRIMARY KEY, total numeric(14,2));
-- expect: nothing
