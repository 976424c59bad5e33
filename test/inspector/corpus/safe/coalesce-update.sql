-- case: an UPDATE that keeps existing values
-- label: safe
UPDATE orders SET note = coalesce(note, '');
-- expect: nothing
