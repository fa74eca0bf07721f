-- CreateEnum
CREATE TYPE "DeviceType" AS ENUM ('ESME', 'GSME', 'GPF', 'CHF', 'HCALCS', 'PPMID', 'IHD', 'CAD');

-- CreateEnum
CREATE TYPE "DeviceStatus" AS ENUM ('Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Decommissioned', 'Withdrawn', 'Suspended', 'Recovery', 'Recovered');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('ASSIGNED', 'RESPONDED', 'CLOSED');

-- CreateEnum
CREATE TYPE "RequestEventType" AS ENUM ('RAISED', 'ASSIGNED', 'REASSIGNED', 'NOTE_ADDED', 'INSTALL_CODE_PROVIDED', 'INSTALL_CODE_REVEALED', 'CLOSED', 'EMAIL_QUEUED', 'EMAIL_SENT');

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "requestId" UUID;

-- CreateTable
CREATE TABLE "Device" (
    "deviceId" VARCHAR(23) NOT NULL,
    "deviceType" "DeviceType" NOT NULL,
    "status" "DeviceStatus",
    "statusChangedAt" TIMESTAMPTZ(3),
    "manufacturer" VARCHAR(30) NOT NULL,
    "model" VARCHAR(30) NOT NULL,
    "firmwareVersion" VARCHAR(8) NOT NULL,
    "mpxn" VARCHAR(13),
    "preNotifiedById" UUID NOT NULL,

    CONSTRAINT "Device_pkey" PRIMARY KEY ("deviceId")
);

-- CreateTable
CREATE TABLE "InstallCodeRequest" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "deviceId" VARCHAR(23) NOT NULL,
    "raisedById" UUID NOT NULL,
    "raisingOrganisationId" UUID NOT NULL,
    "assignedOrganisationId" UUID NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'ASSIGNED',
    "raisedAt" TIMESTAMPTZ(3) NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "respondedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "installCodeEncrypted" TEXT,
    "installCodeProvidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "InstallCodeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Note" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "authorId" UUID NOT NULL,
    "body" VARCHAR(4000) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestEvent" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "requestId" UUID NOT NULL,
    "type" "RequestEventType" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" UUID,
    "actorOrganisationId" UUID,
    "noteId" UUID,
    "organisationId" UUID,
    "detail" VARCHAR(500),

    CONSTRAINT "RequestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Device_preNotifiedById_idx" ON "Device"("preNotifiedById");

-- CreateIndex
CREATE UNIQUE INDEX "InstallCodeRequest_number_key" ON "InstallCodeRequest"("number");

-- CreateIndex
CREATE INDEX "InstallCodeRequest_raisingOrganisationId_raisedAt_idx" ON "InstallCodeRequest"("raisingOrganisationId", "raisedAt");

-- CreateIndex
CREATE INDEX "InstallCodeRequest_assignedOrganisationId_raisedAt_idx" ON "InstallCodeRequest"("assignedOrganisationId", "raisedAt");

-- CreateIndex
CREATE INDEX "InstallCodeRequest_status_dueAt_idx" ON "InstallCodeRequest"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "one_open_request_per_device_and_raiser" ON "InstallCodeRequest"("deviceId", "raisingOrganisationId") WHERE (status <> 'CLOSED');

-- CreateIndex
CREATE INDEX "Note_requestId_createdAt_idx" ON "Note"("requestId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "RequestEvent_sequence_key" ON "RequestEvent"("sequence");

-- CreateIndex
CREATE INDEX "RequestEvent_requestId_sequence_idx" ON "RequestEvent"("requestId", "sequence");

-- AddForeignKey
ALTER TABLE "Email" ADD CONSTRAINT "Email_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InstallCodeRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_preNotifiedById_fkey" FOREIGN KEY ("preNotifiedById") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCodeRequest" ADD CONSTRAINT "InstallCodeRequest_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("deviceId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCodeRequest" ADD CONSTRAINT "InstallCodeRequest_raisedById_fkey" FOREIGN KEY ("raisedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCodeRequest" ADD CONSTRAINT "InstallCodeRequest_raisingOrganisationId_fkey" FOREIGN KEY ("raisingOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCodeRequest" ADD CONSTRAINT "InstallCodeRequest_assignedOrganisationId_fkey" FOREIGN KEY ("assignedOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InstallCodeRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InstallCodeRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "Note"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The timeline is append-only: nothing updates or deletes an event (hand-written: Prisma's schema
-- language has no triggers).
CREATE FUNCTION request_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'RequestEvent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER request_event_append_only
  BEFORE UPDATE OR DELETE ON "RequestEvent"
  FOR EACH ROW EXECUTE FUNCTION request_event_append_only();
