-- case: a type created and dropped in the same migration
-- label: safe
CREATE TYPE priority AS ENUM ('low', 'high');
DROP TYPE priority;
-- expect: nothing
