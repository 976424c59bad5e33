-- case: knex's migration bookkeeping tables
-- label: safe
CREATE TABLE IF NOT EXISTS knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);
CREATE TABLE IF NOT EXISTS knex_migrations_lock ("index" serial PRIMARY KEY, is_locked integer);
INSERT INTO knex_migrations_lock (is_locked) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM knex_migrations_lock);
-- expect: nothing
