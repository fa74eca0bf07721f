-- "Not our Device" (issue 13 part 4, docs/decisions/030-decline.md): the assigned Supplier declines a
-- request with a reason; the helpdesk reassigns it or closes it as not possible.

-- CreateEnum
CREATE TYPE "DeclineReason" AS ENUM ('NOT_PRE_NOTIFIED', 'ALREADY_COMMISSIONED', 'OTHER');

-- AlterEnum
ALTER TYPE "AuditEventType" ADD VALUE 'REQUEST_DECLINED';
ALTER TYPE "AuditEventType" ADD VALUE 'REQUEST_CLOSED_NOT_POSSIBLE';

-- AlterEnum
ALTER TYPE "EmailCategory" ADD VALUE 'DECLINED';

-- AlterEnum
ALTER TYPE "RequestEventType" ADD VALUE 'DECLINED';
ALTER TYPE "RequestEventType" ADD VALUE 'CLOSED_NOT_POSSIBLE';

-- AlterEnum
ALTER TYPE "RequestStatus" ADD VALUE 'DECLINED' BEFORE 'CLOSED';

-- AlterEnum
ALTER TYPE "WebhookEventType" ADD VALUE 'DECLINED';
ALTER TYPE "WebhookEventType" ADD VALUE 'CLOSED_NOT_POSSIBLE';

-- AlterTable
ALTER TABLE "InstallCodeRequest" ADD COLUMN     "declineDetail" VARCHAR(300),
ADD COLUMN     "declineReason" "DeclineReason",
ADD COLUMN     "declinedAt" TIMESTAMPTZ(3),
ADD COLUMN     "notPossibleReason" VARCHAR(500);
