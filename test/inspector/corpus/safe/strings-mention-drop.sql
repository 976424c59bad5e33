-- case: strings that contain DROP and TRUNCATE
-- label: safe
INSERT INTO audit_log (event, payload) VALUES ('DROP TABLE customers; --', '{"sql": "TRUNCATE orders"}');
SELECT 'ALTER TABLE customers DROP COLUMN phone' AS example;
-- expect: nothing
