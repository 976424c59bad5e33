-- case: FOREIGN KEY without NOT VALID
-- label: hazard
ALTER TABLE sessions ADD CONSTRAINT sessions_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
-- expect: constraint-missing-not-valid@3 public.sessions public.customers
