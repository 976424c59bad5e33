-- case: a new view
-- label: safe
CREATE VIEW recent_orders AS SELECT * FROM orders WHERE placed_at > now() - interval '30 days';
-- expect: nothing
