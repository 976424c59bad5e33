-- case: TRUNCATE of a table this migration created
-- label: safe
CREATE TABLE import_rows (line text);
TRUNCATE import_rows;
-- expect: nothing
