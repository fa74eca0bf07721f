-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE INDEX "Email_status_priority_createdAt_idx" ON "Email"("status", "priority", "createdAt");

-- Sign-in links already waiting go first too.
UPDATE "Email" SET "priority" = 0 WHERE "kind" = 'SIGN_IN';
