-- case: a scratch table created, used and dropped in the same migration
-- label: safe
CREATE TABLE import_staging (email text, phone text);
INSERT INTO import_staging SELECT email, phone FROM customers;
UPDATE customers c SET phone = s.phone FROM import_staging s WHERE s.email = c.email;
DROP TABLE import_staging;
-- expect: nothing
