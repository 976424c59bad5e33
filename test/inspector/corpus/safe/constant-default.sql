-- case: ADD COLUMN with a constant default
-- label: safe
SET lock_timeout = '5s';
ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'free';
-- expect: nothing
