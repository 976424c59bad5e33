-- case: DROP SEQUENCE
-- label: destructive
DROP SEQUENCE invoice_numbers;
-- expect: drop-sequence@3 public.invoice_numbers
-- expect: missing-lock-timeout@3 public.invoice_numbers
