-- case: plain INSERTs
-- label: safe
INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com'), ('Alan', 'alan@example.com');
-- expect: nothing
