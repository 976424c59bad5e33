-- case: a statement cut off at the end
-- label: invalid
CREATE TABLE coupons (id bigserial PRIMARY KEY, code text);
ALTER TABLE customers DROP
-- expect: syntax-error@4
