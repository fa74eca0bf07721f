-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "inReplyTo" VARCHAR(255),
ADD COLUMN     "messageId" VARCHAR(255),
ADD COLUMN     "threadReferences" VARCHAR(600);

-- CreateIndex
CREATE UNIQUE INDEX "Email_messageId_key" ON "Email"("messageId");

-- CreateIndex
CREATE INDEX "Email_requestId_to_createdAt_idx" ON "Email"("requestId", "to", "createdAt");

