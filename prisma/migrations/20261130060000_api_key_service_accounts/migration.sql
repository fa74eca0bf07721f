-- Each API key acts through a service account: a User of its organisation that never signs in and is
-- never emailed (docs/decisions/017-api-keys.md). Keys created before this get theirs here.
ALTER TABLE "User" ADD COLUMN     "serviceAccount" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "ApiKey" ADD COLUMN     "userId" UUID;

INSERT INTO "User" ("id", "email", "name", "role", "organisationId", "organisationKind", "serviceAccount")
SELECT gen_random_uuid(), k."prefix" || '@api-key.invalid', left(k."name" || ' (API key ' || k."prefix" || ')', 200),
       CASE o."kind" WHEN 'HELPDESK' THEN 'HELPDESK'::"Role" ELSE 'SUPPLIER_USER'::"Role" END, o."id", o."kind", true
FROM "ApiKey" k JOIN "Organisation" o ON o."id" = k."organisationId";

UPDATE "ApiKey" k SET "userId" = u."id" FROM "User" u WHERE u."email" = k."prefix" || '@api-key.invalid';

ALTER TABLE "ApiKey" ALTER COLUMN "userId" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_userId_key" ON "ApiKey"("userId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
