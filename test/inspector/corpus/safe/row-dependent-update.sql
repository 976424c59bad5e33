-- case: an UPDATE that transforms each row
-- label: safe
UPDATE customers SET email = lower(email);
-- expect: nothing
