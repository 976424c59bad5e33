-- case: Prisma Migrate on a mixed-case table
-- label: destructive
-- AlterTable
ALTER TABLE "LegacyAccounts" DROP COLUMN "Phone",
ADD COLUMN     "PhoneNumber" TEXT;
-- expect: rename-as-drop@4 public."LegacyAccounts"."Phone" public."LegacyAccounts"."PhoneNumber"
-- expect: missing-lock-timeout@4 public."LegacyAccounts"
