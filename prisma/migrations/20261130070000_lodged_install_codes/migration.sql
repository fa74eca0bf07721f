ALTER TYPE "AuditEventType" ADD VALUE 'INSTALL_CODE_LODGED';
ALTER TYPE "AuditEventType" ADD VALUE 'LODGED_INSTALL_CODE_REPLACED';
ALTER TYPE "AuditEventType" ADD VALUE 'LODGED_INSTALL_CODE_WITHDRAWN';
ALTER TYPE "AuditEventType" ADD VALUE 'LODGED_INSTALL_CODE_DROPPED';

-- CreateTable
CREATE TABLE "LodgedInstallCode" (
    "deviceId" VARCHAR(23) NOT NULL,
    "organisationId" UUID NOT NULL,
    "encrypted" TEXT NOT NULL,
    "lodgedAt" TIMESTAMPTZ(3) NOT NULL,
    "lodgedById" UUID,

    CONSTRAINT "LodgedInstallCode_pkey" PRIMARY KEY ("deviceId")
);

-- CreateIndex
CREATE INDEX "LodgedInstallCode_organisationId_lodgedAt_deviceId_idx" ON "LodgedInstallCode"("organisationId", "lodgedAt" DESC, "deviceId");

-- AddForeignKey
ALTER TABLE "LodgedInstallCode" ADD CONSTRAINT "LodgedInstallCode_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("deviceId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LodgedInstallCode" ADD CONSTRAINT "LodgedInstallCode_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LodgedInstallCode" ADD CONSTRAINT "LodgedInstallCode_lodgedById_fkey" FOREIGN KEY ("lodgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- A lodged code lives only while the Smart Metering Inventory says its Device is not yet commissioned
-- and pre-notified by the code's organisation (docs/decisions/018-lodged-install-codes.md). Whatever
-- changes a Device (the SMI import, a script, psql), the code is dropped in the same transaction and
-- the audit log says why. The statuses are those of DOMAIN.md's "not yet commissioned"
-- (LODGEABLE_STATUSES in lib/inventory/eligibility.ts says the same).
CREATE FUNCTION lodged_code_dropped_when_device_moves_on() RETURNS trigger AS $$
DECLARE
  dropped RECORD;
BEGIN
  FOR dropped IN
    DELETE FROM "LodgedInstallCode" l
    WHERE l."deviceId" = NEW."deviceId"
      AND (NEW."status" IS NULL
           OR NEW."status"::text NOT IN ('Pending', 'Whitelisted', 'InstalledNotCommissioned')
           OR l."organisationId" <> NEW."preNotifiedById")
    RETURNING l."organisationId"
  LOOP
    INSERT INTO "AuditEvent" ("type", "subject", "detail")
    VALUES (
      'LODGED_INSTALL_CODE_DROPPED',
      NEW."deviceId",
      left(concat(
        (SELECT o."code" FROM "Organisation" o WHERE o."id" = dropped."organisationId"),
        '''s lodged Install Code dropped: ',
        CASE WHEN dropped."organisationId" <> NEW."preNotifiedById"
             THEN 'the Smart Metering Inventory names another Supplier as the pre-notifier'
             ELSE 'the Smart Metering Inventory says the Device is ' || coalesce(NEW."status"::text, 'without a status')
        END), 500));
  END LOOP;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER lodged_code_dropped_when_device_moves_on
  AFTER UPDATE OF "status", "preNotifiedById" ON "Device"
  FOR EACH ROW
  WHEN (NEW."status" IS DISTINCT FROM OLD."status" OR NEW."preNotifiedById" IS DISTINCT FROM OLD."preNotifiedById")
  EXECUTE FUNCTION lodged_code_dropped_when_device_moves_on();
