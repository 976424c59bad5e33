-- case: an idempotent DO block that only creates
-- label: safe
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'coupons') THEN
    CREATE TABLE coupons (id bigserial PRIMARY KEY, code text);
  END IF;
END
$$;
-- expect: nothing
