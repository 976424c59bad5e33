-- case: dollar-quoted strings that contain destructive SQL
-- label: safe
SELECT $$DROP TABLE customers$$ AS not_executed, $tag$DELETE FROM orders$tag$ AS neither;
-- expect: nothing
