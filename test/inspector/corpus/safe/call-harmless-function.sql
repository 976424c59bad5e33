-- case: calling a function whose UPDATE is restricted
-- label: safe
SELECT touch_customer(42);
-- expect: nothing
