-- case: an allow that suppresses nothing
-- label: hazard
-- tripwire:allow truncate emptied on purpose
DELETE FROM sessions WHERE expires_at < now();
-- expect: allow-unused@3
