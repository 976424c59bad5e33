-- case: a missing semicolon joins two statements
-- label: invalid
ALTER TABLE customers ADD COLUMN nickname text
ALTER TABLE customers DROP COLUMN phone;
-- expect: syntax-error@4
