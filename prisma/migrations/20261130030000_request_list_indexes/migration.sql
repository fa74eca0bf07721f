-- DropIndex
DROP INDEX "InstallCodeRequest_assignedOrganisationId_raisedAt_idx";

-- DropIndex
DROP INDEX "InstallCodeRequest_raisingOrganisationId_raisedAt_idx";

-- CreateIndex
CREATE INDEX "InstallCodeRequest_raisingOrganisationId_raisedAt_number_idx" ON "InstallCodeRequest"("raisingOrganisationId", "raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_raisingOrganisationId_status_raisedAt_nu_idx" ON "InstallCodeRequest"("raisingOrganisationId", "status", "raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_assignedOrganisationId_raisedAt_number_idx" ON "InstallCodeRequest"("assignedOrganisationId", "raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_assignedOrganisationId_status_raisedAt_n_idx" ON "InstallCodeRequest"("assignedOrganisationId", "status", "raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_raisedAt_number_idx" ON "InstallCodeRequest"("raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_status_raisedAt_number_idx" ON "InstallCodeRequest"("status", "raisedAt" DESC, "number" DESC);

-- CreateIndex
CREATE INDEX "InstallCodeRequest_deviceId_idx" ON "InstallCodeRequest"("deviceId");

