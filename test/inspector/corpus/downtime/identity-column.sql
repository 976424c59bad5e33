-- case: ADD COLUMN … GENERATED ALWAYS AS IDENTITY
-- label: hazard
ALTER TABLE "LegacyAccounts" ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
-- expect: volatile-default@3 public."LegacyAccounts".seq
-- expect: missing-lock-timeout@3 public."LegacyAccounts"
