-- AlterEnum
ALTER TYPE "AuditEventType" ADD VALUE 'EXPIRED_RECORDS_DELETED';

-- CreateIndex
CREATE INDEX "closed_requests_by_closing" ON "InstallCodeRequest"("closedAt") WHERE (status = 'CLOSED');


-- The timeline stays append-only, except for the retention job (lib/retention/delete-expired-records.ts),
-- which deletes whole requests closed more than RECORD_RETENTION_YEARS ago, timelines included, and
-- says so for its own transaction only (SET LOCAL portal.deleting_expired_records = 'on').
-- Hand-written: Prisma's schema language has no functions.
CREATE OR REPLACE FUNCTION request_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('portal.deleting_expired_records', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'RequestEvent is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
