-- case: a psql \set line and a new table
-- label: safe
\set ON_ERROR_STOP on
CREATE TABLE coupons (id bigserial PRIMARY KEY, code text);
-- expect: psql-meta-command@3
