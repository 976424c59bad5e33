-- case: FOREIGN KEY NOT VALID, then VALIDATE
-- label: safe
ALTER TABLE sessions ADD CONSTRAINT sessions_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE sessions VALIDATE CONSTRAINT sessions_customer_fk;
-- expect: nothing
