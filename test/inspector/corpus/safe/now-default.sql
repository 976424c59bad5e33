-- case: ADD COLUMN with DEFAULT now() (stable, computed once)
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE orders ADD COLUMN recorded_at timestamptz DEFAULT now();
-- expect: nothing
