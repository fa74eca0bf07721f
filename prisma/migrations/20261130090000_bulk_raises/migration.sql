-- A bulk raise queues one email per assigned organisation about many requests
-- (docs/decisions/019-bulk-raise.md): the requests it is about, for their timelines' EMAIL_SENT.
ALTER TABLE "Email" ADD COLUMN     "requestIds" UUID[] DEFAULT ARRAY[]::UUID[];
