-- case: DROP TABLE IF EXISTS of a table that does not exist
-- label: safe
DROP TABLE IF EXISTS legacy_sessions;
-- expect: nothing
