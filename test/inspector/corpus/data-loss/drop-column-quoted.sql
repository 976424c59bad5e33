-- case: quoted mixed-case identifiers
-- label: destructive
ALTER TABLE "LegacyAccounts" DROP COLUMN "Phone";
-- expect: drop-column@3 public."LegacyAccounts"."Phone"
-- expect: missing-lock-timeout@3 public."LegacyAccounts"
