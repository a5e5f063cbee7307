-- Dashboard roles owner / admin / staff / viewer (API.md "Staff accounts"). Until now `staff`
-- could do everything in its tenant: those logins become `admin`, and `staff` now means
-- store staff (members, points adjust, coupon grant, lookups). Platform roles are unchanged.
-- The enum is rebuilt rather than extended: a value added by ALTER TYPE … ADD VALUE cannot be
-- used in the transaction that adds it, and this script runs as one.
CREATE TYPE "UserRole_new" AS ENUM ('platform_admin', 'owner', 'admin', 'staff', 'viewer');
ALTER TABLE "users"
  ALTER COLUMN "role" TYPE "UserRole_new"
  USING (CASE "role"::text WHEN 'staff' THEN 'admin' ELSE "role"::text END)::"UserRole_new";
DROP TYPE "UserRole";
ALTER TYPE "UserRole_new" RENAME TO "UserRole";

-- An invited user has no password until the set-password link is used.
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;
-- Store-limited staff: the stores they may act for (empty = every store of the tenant).
ALTER TABLE "users" ADD COLUMN "store_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
-- A disabled user cannot log in and their sessions end at once.
ALTER TABLE "users" ADD COLUMN "disabled_at" TIMESTAMPTZ(3);
-- The one outstanding set-password link (invite or reset): only its sha256 is kept, with its
-- expiry. Resolving a link by its hash is a lookup by secret (no tenant filter), hence the
-- global unique index.
ALTER TABLE "users" ADD COLUMN "password_token_hash" TEXT;
ALTER TABLE "users" ADD COLUMN "password_token_expires_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD COLUMN "invited_by" TEXT;
CREATE UNIQUE INDEX "users_password_token_hash_key" ON "users"("password_token_hash");
