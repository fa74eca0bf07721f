-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditEventType" ADD VALUE 'USER_INVITED';
ALTER TYPE "AuditEventType" ADD VALUE 'INVITATION_ACCEPTED';
ALTER TYPE "AuditEventType" ADD VALUE 'SESSIONS_REVOKED';

-- AlterEnum
ALTER TYPE "EmailCategory" ADD VALUE 'INVITATION';

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "suspendedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "administrator" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "removedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "administrator" BOOLEAN NOT NULL DEFAULT false,
    "organisationId" UUID NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "invitedById" UUID,
    "acceptedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_organisationId_createdAt_idx" ON "Invitation"("organisationId", "createdAt");

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Every existing organisation keeps an administrator: its first person (the demo seed names its own).
UPDATE "User" SET "administrator" = true WHERE id IN (
  SELECT DISTINCT ON ("organisationId") id FROM "User" WHERE NOT "serviceAccount" ORDER BY "organisationId", "createdAt", email);

-- A change of role (administrator or not), a removal, or a move ends every session of the user at once.
CREATE OR REPLACE FUNCTION user_change_revokes_sessions() RETURNS trigger AS $$
BEGIN
  IF NEW."role" IS DISTINCT FROM OLD."role"
     OR NEW."administrator" IS DISTINCT FROM OLD."administrator"
     OR NEW."removedAt" IS DISTINCT FROM OLD."removedAt"
     OR NEW."organisationId" IS DISTINCT FROM OLD."organisationId"
     OR NEW."organisationKind" IS DISTINCT FROM OLD."organisationKind"
     OR NEW."email" IS DISTINCT FROM OLD."email" THEN
    DELETE FROM "Session" WHERE "userId" = NEW."id";
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Suspending an organisation ends every session of its people at once, whatever suspends it.
CREATE FUNCTION organisation_suspension_revokes_sessions() RETURNS trigger AS $$
BEGIN
  IF NEW."suspendedAt" IS NOT NULL AND OLD."suspendedAt" IS NULL THEN
    DELETE FROM "Session" WHERE "userId" IN (SELECT id FROM "User" WHERE "organisationId" = NEW."id");
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER organisation_suspension_revokes_sessions
  AFTER UPDATE ON "Organisation"
  FOR EACH ROW EXECUTE FUNCTION organisation_suspension_revokes_sessions();

-- Changes to administrators, removals and suspensions are in the audit log with the rest.
CREATE OR REPLACE FUNCTION audit_user_and_organisation_changes() RETURNS trigger AS $$
DECLARE
  event_type "AuditEventType";
  subject_value TEXT;
  detail_value TEXT;
BEGIN
  IF TG_TABLE_NAME = 'User' THEN
    IF TG_OP = 'INSERT' THEN
      event_type := 'USER_CREATED'; subject_value := NEW."email";
      detail_value := 'role ' || NEW."role" || ' in organisation ' || NEW."organisationId";
    ELSIF TG_OP = 'UPDATE' THEN
      IF NEW."email" IS NOT DISTINCT FROM OLD."email" AND NEW."name" IS NOT DISTINCT FROM OLD."name"
         AND NEW."role" IS NOT DISTINCT FROM OLD."role" AND NEW."organisationId" IS NOT DISTINCT FROM OLD."organisationId"
         AND NEW."organisationKind" IS NOT DISTINCT FROM OLD."organisationKind"
         AND NEW."administrator" IS NOT DISTINCT FROM OLD."administrator" AND NEW."removedAt" IS NOT DISTINCT FROM OLD."removedAt" THEN
        RETURN NULL; -- emailVerified and the like are not changes to the person
      END IF;
      event_type := 'USER_CHANGED'; subject_value := NEW."email";
      detail_value := concat_ws('; ',
        CASE WHEN NEW."email" IS DISTINCT FROM OLD."email" THEN 'email ' || OLD."email" || ' -> ' || NEW."email" END,
        CASE WHEN NEW."name" IS DISTINCT FROM OLD."name" THEN 'name changed' END,
        CASE WHEN NEW."role" IS DISTINCT FROM OLD."role" THEN 'role ' || OLD."role" || ' -> ' || NEW."role" END,
        CASE WHEN NEW."organisationId" IS DISTINCT FROM OLD."organisationId" THEN 'organisation ' || OLD."organisationId" || ' -> ' || NEW."organisationId" END,
        CASE WHEN NEW."organisationKind" IS DISTINCT FROM OLD."organisationKind" THEN 'organisation kind ' || OLD."organisationKind" || ' -> ' || NEW."organisationKind" END,
        CASE WHEN NEW."administrator" IS DISTINCT FROM OLD."administrator" THEN CASE WHEN NEW."administrator" THEN 'made an administrator' ELSE 'no longer an administrator' END END,
        CASE WHEN NEW."removedAt" IS DISTINCT FROM OLD."removedAt" THEN CASE WHEN NEW."removedAt" IS NULL THEN 'restored to the organisation' ELSE 'removed from the organisation' END END);
    ELSE
      event_type := 'USER_REMOVED'; subject_value := OLD."email"; detail_value := NULL;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      event_type := 'ORGANISATION_CREATED'; subject_value := NEW."code"; detail_value := NEW."kind" || ' ' || NEW."name";
    ELSIF TG_OP = 'UPDATE' THEN
      IF NEW."code" IS NOT DISTINCT FROM OLD."code" AND NEW."name" IS NOT DISTINCT FROM OLD."name" AND NEW."kind" IS NOT DISTINCT FROM OLD."kind"
         AND NEW."teamEmail" IS NOT DISTINCT FROM OLD."teamEmail" AND NEW."suspendedAt" IS NOT DISTINCT FROM OLD."suspendedAt" THEN
        RETURN NULL;
      END IF;
      event_type := 'ORGANISATION_CHANGED'; subject_value := NEW."code";
      detail_value := concat_ws('; ',
        CASE WHEN NEW."code" IS DISTINCT FROM OLD."code" THEN 'code ' || OLD."code" || ' -> ' || NEW."code" END,
        CASE WHEN NEW."name" IS DISTINCT FROM OLD."name" THEN 'name ' || OLD."name" || ' -> ' || NEW."name" END,
        CASE WHEN NEW."kind" IS DISTINCT FROM OLD."kind" THEN 'kind ' || OLD."kind" || ' -> ' || NEW."kind" END,
        CASE WHEN NEW."teamEmail" IS DISTINCT FROM OLD."teamEmail" THEN 'team email ' || coalesce(OLD."teamEmail", 'none') || ' -> ' || coalesce(NEW."teamEmail", 'none') END,
        CASE WHEN NEW."suspendedAt" IS DISTINCT FROM OLD."suspendedAt" THEN CASE WHEN NEW."suspendedAt" IS NULL THEN 'reinstated' ELSE 'suspended' END END);
    ELSE
      event_type := 'ORGANISATION_REMOVED'; subject_value := OLD."code"; detail_value := OLD."name";
    END IF;
  END IF;
  INSERT INTO "AuditEvent" ("type", "actorUserId", "actorEmail", "actorOrganisationId", "actorOrganisationCode", "clientAddress", "subject", "detail")
  VALUES (
    event_type,
    NULLIF(current_setting('portal.actor_user_id', true), '')::uuid,
    NULLIF(current_setting('portal.actor_email', true), ''),
    NULLIF(current_setting('portal.actor_organisation_id', true), '')::uuid,
    NULLIF(current_setting('portal.actor_organisation_code', true), ''),
    NULLIF(current_setting('portal.client_address', true), ''),
    left(subject_value, 320),
    left(detail_value, 500));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
