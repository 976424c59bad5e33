-- case: VACUUM FULL of the whole database
-- label: hazard
VACUUM FULL;
-- expect: vacuum-full@3
