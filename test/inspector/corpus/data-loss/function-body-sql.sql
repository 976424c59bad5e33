-- case: a SQL function whose body deletes everything
-- label: destructive
CREATE FUNCTION cleanup_orders() RETURNS void LANGUAGE sql AS $$
  DELETE FROM orders
$$;
-- expect: delete-all-rows@4 public.orders
