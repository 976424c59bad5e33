-- case: lint without --schema: a new table
-- label: safe
CREATE TABLE widgets (id bigserial PRIMARY KEY, name text);
-- schema: none
-- expect: nothing
