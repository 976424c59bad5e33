-- case: comments that contain DROP, TRUNCATE and DELETE
-- label: safe
-- DROP TABLE customers;
/* TRUNCATE orders; DELETE FROM sessions; */
SELECT count(*) FROM customers;
-- expect: nothing
