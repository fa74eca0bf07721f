-- "Withdraw request" (issue 13 part 3, docs/decisions/035-safe-actions.md): before any Install Code is given,
-- the raiser ends a request with a reason instead of closing it; the assignee is told.

-- CreateEnum
CREATE TYPE "WithdrawReason" AS ENUM ('RAISED_IN_ERROR', 'NO_LONGER_NEEDED', 'OTHER');

-- AlterEnum
ALTER TYPE "RequestEventType" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "InstallCodeRequest" ADD COLUMN     "withdrawDetail" VARCHAR(300),
ADD COLUMN     "withdrawReason" "WithdrawReason";

