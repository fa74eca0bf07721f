-- AlterEnum
ALTER TYPE "RequestEventType" ADD VALUE 'INSTALL_CODE_ERASED';

-- AlterTable
ALTER TABLE "InstallCode" ADD COLUMN     "erasedAt" TIMESTAMPTZ(3);
