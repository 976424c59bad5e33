-- case: DROP OWNED BY
-- label: destructive
DROP OWNED BY app_user;
-- expect: drop-owned@3
