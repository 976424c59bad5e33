-- case: a plain index on a table created in the same migration
-- label: safe
CREATE TABLE coupons (id bigserial PRIMARY KEY, code text);
CREATE UNIQUE INDEX coupons_code_idx ON coupons (code);
-- expect: nothing
