-- An endpoint that took every event before declines existed (the default when registering) takes the
-- two new ones too; one that chose fewer keeps its choice (docs/decisions/030-decline.md). Its own
-- migration: a value added to an enum cannot be used in the transaction that added it.
UPDATE "WebhookEndpoint"
SET "events" = "events" || ARRAY['DECLINED', 'CLOSED_NOT_POSSIBLE']::"WebhookEventType"[]
WHERE "disabledAt" IS NULL
  AND "events" @> ARRAY['ASSIGNED', 'ANSWERED', 'NOTE_ADDED', 'CLOSED', 'REASSIGNED', 'BREACHED']::"WebhookEventType"[];
