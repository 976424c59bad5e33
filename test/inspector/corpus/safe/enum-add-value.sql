-- case: ALTER TYPE … ADD VALUE
-- label: safe
ALTER TYPE mood ADD VALUE 'excited';
-- expect: nothing
