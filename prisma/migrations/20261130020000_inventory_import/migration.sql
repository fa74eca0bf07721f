-- CreateEnum
CREATE TYPE "InventoryImportStatus" AS ENUM ('RUNNING', 'FINISHED', 'FAILED');

-- CreateTable
CREATE TABLE "InventoryImport" (
    "id" UUID NOT NULL,
    "sourceName" VARCHAR(255) NOT NULL,
    "sourceSize" BIGINT,
    "sourceFingerprint" VARCHAR(64),
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "rowsRead" INTEGER NOT NULL DEFAULT 0,
    "rowsLoaded" INTEGER NOT NULL DEFAULT 0,
    "rowsRejected" INTEGER NOT NULL DEFAULT 0,
    "status" "InventoryImportStatus" NOT NULL DEFAULT 'RUNNING',
    "lastCommittedLine" INTEGER NOT NULL DEFAULT 1,
    "error" VARCHAR(500),

    CONSTRAINT "InventoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InventoryImport_startedAt_idx" ON "InventoryImport"("startedAt");

-- CreateIndex
CREATE INDEX "InventoryImport_sourceName_sourceSize_sourceFingerprint_sta_idx" ON "InventoryImport"("sourceName", "sourceSize", "sourceFingerprint", "status");

