-- CreateEnum
CREATE TYPE "EmailCategory" AS ENUM ('SIGN_IN', 'ASSIGNMENT', 'BREACH', 'ANSWER', 'NOTE', 'REMINDER', 'REPORT', 'DIGEST');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "EmailStatus" ADD VALUE 'HELD';
ALTER TYPE "EmailStatus" ADD VALUE 'DIGESTED';
ALTER TYPE "EmailStatus" ADD VALUE 'CANCELLED';

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "category" "EmailCategory" NOT NULL DEFAULT 'ANSWER',
ADD COLUMN     "digestId" UUID,
ADD COLUMN     "organisationId" UUID,
ADD COLUMN     "userId" UUID;

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "teamEmail" VARCHAR(254);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailAnswers" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "emailDigest" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "emailNotes" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "emailReminders" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "emailReports" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "Email_status_userId_idx" ON "Email"("status", "userId");


-- The emails already queued keep their place: sign-in links, and the reminders, breach notices and
-- reports of priority 2 (their exact kind is not recorded: REMINDER keeps their order).
UPDATE "Email" SET "category" = 'SIGN_IN' WHERE "kind" = 'SIGN_IN';
UPDATE "Email" SET "category" = 'REMINDER' WHERE "kind" = 'NOTIFICATION' AND "priority" = 2;
-- Emails queued before this release name their recipient by address only: the organisation of the
-- person with that address, so that the send-time membership check has something to check.
UPDATE "Email" e SET "organisationId" = u."organisationId", "userId" = u.id FROM "User" u WHERE e."kind" = 'NOTIFICATION' AND u.email = e."to";

-- A change of team address is a change to the organisation: into the audit log with the rest.
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
         AND NEW."organisationKind" IS NOT DISTINCT FROM OLD."organisationKind" THEN
        RETURN NULL; -- emailVerified and the like are not changes to the person
      END IF;
      event_type := 'USER_CHANGED'; subject_value := NEW."email";
      detail_value := concat_ws('; ',
        CASE WHEN NEW."email" IS DISTINCT FROM OLD."email" THEN 'email ' || OLD."email" || ' -> ' || NEW."email" END,
        CASE WHEN NEW."name" IS DISTINCT FROM OLD."name" THEN 'name changed' END,
        CASE WHEN NEW."role" IS DISTINCT FROM OLD."role" THEN 'role ' || OLD."role" || ' -> ' || NEW."role" END,
        CASE WHEN NEW."organisationId" IS DISTINCT FROM OLD."organisationId" THEN 'organisation ' || OLD."organisationId" || ' -> ' || NEW."organisationId" END,
        CASE WHEN NEW."organisationKind" IS DISTINCT FROM OLD."organisationKind" THEN 'organisation kind ' || OLD."organisationKind" || ' -> ' || NEW."organisationKind" END);
    ELSE
      event_type := 'USER_REMOVED'; subject_value := OLD."email"; detail_value := NULL;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      event_type := 'ORGANISATION_CREATED'; subject_value := NEW."code"; detail_value := NEW."kind" || ' ' || NEW."name";
    ELSIF TG_OP = 'UPDATE' THEN
      IF NEW."code" IS NOT DISTINCT FROM OLD."code" AND NEW."name" IS NOT DISTINCT FROM OLD."name" AND NEW."kind" IS NOT DISTINCT FROM OLD."kind"
         AND NEW."teamEmail" IS NOT DISTINCT FROM OLD."teamEmail" THEN
        RETURN NULL;
      END IF;
      event_type := 'ORGANISATION_CHANGED'; subject_value := NEW."code";
      detail_value := concat_ws('; ',
        CASE WHEN NEW."code" IS DISTINCT FROM OLD."code" THEN 'code ' || OLD."code" || ' -> ' || NEW."code" END,
        CASE WHEN NEW."name" IS DISTINCT FROM OLD."name" THEN 'name ' || OLD."name" || ' -> ' || NEW."name" END,
        CASE WHEN NEW."kind" IS DISTINCT FROM OLD."kind" THEN 'kind ' || OLD."kind" || ' -> ' || NEW."kind" END,
        CASE WHEN NEW."teamEmail" IS DISTINCT FROM OLD."teamEmail" THEN 'team email ' || coalesce(OLD."teamEmail", 'none') || ' -> ' || coalesce(NEW."teamEmail", 'none') END);
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
