-- CreateEnum
CREATE TYPE "SlaNoticeKind" AS ENUM ('REMINDER', 'BREACH');

-- AlterEnum
ALTER TYPE "RequestEventType" ADD VALUE 'BREACHED';

-- CreateTable
CREATE TABLE "SlaNotice" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "kind" "SlaNoticeKind" NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlaNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObligationReport" (
    "id" UUID NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "generatedAt" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "ObligationReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SlaNotice_requestId_organisationId_kind_dueAt_key" ON "SlaNotice"("requestId", "organisationId", "kind", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "ObligationReport_month_key" ON "ObligationReport"("month");

-- CreateIndex
CREATE INDEX "RequestEvent_type_at_idx" ON "RequestEvent"("type", "at");

-- AddForeignKey
ALTER TABLE "SlaNotice" ADD CONSTRAINT "SlaNotice_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InstallCodeRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

