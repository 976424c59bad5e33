-- case: Prisma Migrate: a renamed field becomes DROP + ADD in one ALTER TABLE
-- label: destructive
/*
  Warnings:

  - You are about to drop the column `phone` on the `customers` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "customers" DROP COLUMN "phone",
ADD COLUMN     "phone_number" TEXT;
-- expect: rename-as-drop@10 public.customers.phone public.customers.phone_number
-- expect: missing-lock-timeout@10 public.customers
