-- case: replacing a primary key builds a new unique index
-- label: hazard
ALTER TABLE sessions DROP CONSTRAINT sessions_pkey, ADD PRIMARY KEY (id, customer_id);
-- expect: add-unique-constraint@3 public.sessions
-- expect: missing-lock-timeout@3 public.sessions
