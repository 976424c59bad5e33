-- case: renaming a table and column this migration created
-- label: safe
CREATE TABLE coupon_drafts (id bigserial PRIMARY KEY, code text);
ALTER TABLE coupon_drafts RENAME TO coupons;
ALTER TABLE coupons RENAME COLUMN code TO coupon_code;
-- expect: nothing
