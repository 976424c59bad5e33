-- case: COMMENT ON and GRANT
-- label: safe
COMMENT ON COLUMN customers.phone IS 'E.164';
GRANT SELECT ON customers TO reporting_role;
-- expect: nothing
