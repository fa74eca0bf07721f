-- AlterEnum
ALTER TYPE "AuditEventType" ADD VALUE 'EMAIL_RETRIED';

-- AlterEnum
ALTER TYPE "RequestEventType" ADD VALUE 'EMAIL_FAILED';

