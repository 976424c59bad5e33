-- case: ADD COLUMN … bigserial
-- label: hazard
ALTER TABLE sessions ADD COLUMN row_number bigserial;
-- expect: volatile-default@3 public.sessions.row_number
-- expect: missing-lock-timeout@3 public.sessions
