-- Trust (issue 6): Install Codes belong to the organisation that gave them; a user is helpdesk only
-- when its role and its organisation's kind agree; sessions with an absolute lifetime; sign-in
-- emails whose links are blanked; an append-only audit log; a table for rate limits.

-- CreateEnum
CREATE TYPE "EmailKind" AS ENUM ('SIGN_IN', 'NOTIFICATION');

-- CreateEnum
CREATE TYPE "AuditEventType" AS ENUM ('SIGN_IN', 'SIGN_IN_REFUSED', 'SIGN_IN_LINK_REQUESTED', 'SIGN_IN_LINK_REFUSED', 'SIGN_OUT', 'INSTALL_CODE_PROVIDED', 'INSTALL_CODE_REVEALED', 'REQUEST_REASSIGNED', 'USER_CREATED', 'USER_CHANGED', 'USER_REMOVED', 'ORGANISATION_CREATED', 'ORGANISATION_CHANGED', 'ORGANISATION_REMOVED');

-- CreateTable
CREATE TABLE "AuditEvent" (
    "sequence" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" "AuditEventType" NOT NULL,
    "actorUserId" UUID,
    "actorEmail" VARCHAR(320),
    "actorOrganisationId" UUID,
    "actorOrganisationCode" VARCHAR(32),
    "clientAddress" VARCHAR(64),
    "requestReference" VARCHAR(15),
    "subject" VARCHAR(320),
    "detail" VARCHAR(500),

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("sequence")
);

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_type_at_idx" ON "AuditEvent"("type", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorOrganisationId_at_idx" ON "AuditEvent"("actorOrganisationId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_requestReference_idx" ON "AuditEvent"("requestReference");

-- The audit log is append-only, like the timeline.
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

-- TRUNCATE skips row triggers: refuse it on both append-only tables too.
CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER request_event_no_truncate
  BEFORE TRUNCATE ON "RequestEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION request_event_append_only();

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- Email: sign-in emails are told apart, and their links blanked once sent or expired.
ALTER TABLE "Email" ADD COLUMN     "kind" "EmailKind" NOT NULL DEFAULT 'NOTIFICATION',
ADD COLUMN     "redactedAt" TIMESTAMPTZ(3);

UPDATE "Email" SET "kind" = 'SIGN_IN' WHERE "subject" = 'Your sign-in link for the Install Code Request portal';
UPDATE "Email"
   SET "text" = '[This sign-in link was removed from the portal''s records.]',
       "html" = '<p>[This sign-in link was removed from the portal''s records.]</p>',
       "redactedAt" = CURRENT_TIMESTAMP
 WHERE "kind" = 'SIGN_IN';

-- Session: the database now keeps a SHA-256 of each token (lib/auth/sessions.ts), never the token,
-- and sessions have idle and absolute limits. Sessions from before would escape both (their expiry was
-- set for 8 hours, their start is unknown, and backups hold their tokens): everyone signs in again.
DELETE FROM "Session";

-- Session: an absolute lifetime counts from createdAt.
ALTER TABLE "Session" ADD COLUMN     "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- User: organisationKind follows the organisation's kind (composite foreign key, ON UPDATE CASCADE),
-- and a CHECK keeps the role in step with it.
ALTER TABLE "User" DROP CONSTRAINT "User_organisationId_fkey";
ALTER TABLE "User" ADD COLUMN     "organisationKind" "OrganisationKind";
UPDATE "User" u SET "organisationKind" = o."kind" FROM "Organisation" o WHERE o."id" = u."organisationId";
ALTER TABLE "User" ALTER COLUMN "organisationKind" SET NOT NULL;

-- A user whose role disagrees with its organisation's kind has no safe automatic fix (a HELPDESK role
-- in a Supplier organisation made a Supplier user would gain that Supplier's codes): the migration
-- stops, names them, and changes nothing, so that a person decides.
DO $$
DECLARE names TEXT;
BEGIN
  SELECT string_agg("email" || ' (' || "role" || ' in a ' || "organisationKind" || ' organisation)', ', ' ORDER BY "email") INTO names
    FROM "User" WHERE ("role" = 'HELPDESK') <> ("organisationKind" = 'HELPDESK');
  IF names IS NOT NULL THEN
    RAISE EXCEPTION 'Users whose role disagrees with their organisation: %. Give each the role of its organisation (HELPDESK only in the helpdesk organisation) or move it, then start again.', names;
  END IF;
END $$;

ALTER TABLE "User" ADD CONSTRAINT "User_role_matches_organisation_kind"
  CHECK (("role" = 'HELPDESK') = ("organisationKind" = 'HELPDESK'));

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_id_kind_key" ON "Organisation"("id", "kind");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_organisationId_organisationKind_fkey" FOREIGN KEY ("organisationId", "organisationKind") REFERENCES "Organisation"("id", "kind") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A user whose role or organisation changes loses every session at once (removal cascades).
CREATE FUNCTION user_change_revokes_sessions() RETURNS trigger AS $$
BEGIN
  IF NEW."role" IS DISTINCT FROM OLD."role"
     OR NEW."organisationId" IS DISTINCT FROM OLD."organisationId"
     OR NEW."organisationKind" IS DISTINCT FROM OLD."organisationKind"
     OR NEW."email" IS DISTINCT FROM OLD."email" THEN
    DELETE FROM "Session" WHERE "userId" = NEW."id";
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER user_change_revokes_sessions
  AFTER UPDATE ON "User"
  FOR EACH ROW EXECUTE FUNCTION user_change_revokes_sessions();

-- Every change to users and organisations is written to the audit log, whatever makes it (the
-- portal, a script, psql). The portal names the actor with SET LOCAL portal.actor_email etc.
CREATE FUNCTION audit_user_and_organisation_changes() RETURNS trigger AS $$
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
      IF NEW."code" IS NOT DISTINCT FROM OLD."code" AND NEW."name" IS NOT DISTINCT FROM OLD."name" AND NEW."kind" IS NOT DISTINCT FROM OLD."kind" THEN
        RETURN NULL;
      END IF;
      event_type := 'ORGANISATION_CHANGED'; subject_value := NEW."code";
      detail_value := concat_ws('; ',
        CASE WHEN NEW."code" IS DISTINCT FROM OLD."code" THEN 'code ' || OLD."code" || ' -> ' || NEW."code" END,
        CASE WHEN NEW."name" IS DISTINCT FROM OLD."name" THEN 'name ' || OLD."name" || ' -> ' || NEW."name" END,
        CASE WHEN NEW."kind" IS DISTINCT FROM OLD."kind" THEN 'kind ' || OLD."kind" || ' -> ' || NEW."kind" END);
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

CREATE TRIGGER audit_user_changes
  AFTER INSERT OR UPDATE OR DELETE ON "User"
  FOR EACH ROW EXECUTE FUNCTION audit_user_and_organisation_changes();

CREATE TRIGGER audit_organisation_changes
  AFTER INSERT OR UPDATE OR DELETE ON "Organisation"
  FOR EACH ROW EXECUTE FUNCTION audit_user_and_organisation_changes();

-- InstallCode: a code per provision, owned by the organisation that gave it.
CREATE TABLE "InstallCode" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "providedByOrganisationId" UUID NOT NULL,
    "providedById" UUID,
    "encrypted" TEXT NOT NULL,
    "providedAt" TIMESTAMPTZ(3) NOT NULL,
    "replacedAt" TIMESTAMPTZ(3),
    "reassignedAwayAt" TIMESTAMPTZ(3),

    CONSTRAINT "InstallCode_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InstallCode_requestId_providedAt_idx" ON "InstallCode"("requestId", "providedAt");

-- AddForeignKey
ALTER TABLE "InstallCode" ADD CONSTRAINT "InstallCode_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "InstallCodeRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCode" ADD CONSTRAINT "InstallCode_providedByOrganisationId_fkey" FOREIGN KEY ("providedByOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstallCode" ADD CONSTRAINT "InstallCode_providedById_fkey" FOREIGN KEY ("providedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Existing codes move over, owned by the organisation of their last INSTALL_CODE_PROVIDED event, or
-- failing that the organisation assigned when the code was given (never simply the current assignee,
-- which after a reassignment is exactly the party that must not read it). The ciphertext is unchanged:
-- its additional data is still the request's id. A code given before a later reassignment is marked
-- so. Such a request keeps its status and dates: the old rules counted it as answered, and a new due
-- date needs the Working Day calendar, which SQL does not have (decision 011).
INSERT INTO "InstallCode" ("id", "requestId", "providedByOrganisationId", "providedById", "encrypted", "providedAt", "reassignedAwayAt")
SELECT gen_random_uuid(), r."id",
       COALESCE(p."actorOrganisationId", a."organisationId", r."assignedOrganisationId"),
       p."actorId",
       r."installCodeEncrypted",
       COALESCE(r."installCodeProvidedAt", p."at", r."raisedAt"),
       (SELECT min(e."at") FROM "RequestEvent" e
         WHERE e."requestId" = r."id" AND e."type" = 'REASSIGNED' AND e."sequence" > COALESCE(p."sequence", 0))
  FROM "InstallCodeRequest" r
  LEFT JOIN LATERAL (
    SELECT e."actorOrganisationId", e."actorId", e."at", e."sequence" FROM "RequestEvent" e
     WHERE e."requestId" = r."id" AND e."type" = 'INSTALL_CODE_PROVIDED'
     ORDER BY e."sequence" DESC LIMIT 1) p ON true
  LEFT JOIN LATERAL (
    SELECT e."organisationId" FROM "RequestEvent" e
     WHERE e."requestId" = r."id" AND e."type" IN ('ASSIGNED', 'REASSIGNED')
       AND e."at" <= COALESCE(r."installCodeProvidedAt", r."raisedAt")
     ORDER BY e."sequence" DESC LIMIT 1) a ON true
 WHERE r."installCodeEncrypted" IS NOT NULL;

ALTER TABLE "InstallCodeRequest" DROP COLUMN "installCodeEncrypted",
DROP COLUMN "installCodeProvidedAt";
