-- Member sessions: short-lived `upm_` tokens a storefront opens for one member (the member
-- center and /v1/me). Only the token's sha256 is stored; the hash is unique across tenants
-- because resolving a token is what establishes its tenant (a lookup by secret).
-- CreateTable
CREATE TABLE "member_sessions" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "store_id" TEXT,
    "hash" TEXT NOT NULL,
    "opened_by" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_sessions_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_sessions_hash_key" ON "member_sessions"("hash");

-- CreateIndex
CREATE INDEX "member_sessions_tenant_id_member_id_expires_at_idx" ON "member_sessions"("tenant_id", "member_id", "expires_at");

-- AddForeignKey
ALTER TABLE "member_sessions" ADD CONSTRAINT "member_sessions_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_sessions" ADD CONSTRAINT "member_sessions_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member_sessions" ADD CONSTRAINT "member_sessions_tenant_id_store_id_fkey" FOREIGN KEY ("tenant_id", "store_id") REFERENCES "stores"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT up_tenant_table('member_sessions', 'rw');

-- The member's inbox (站内信): one message per outbox event that concerns the member (tier
-- changed, tier at risk, points expiring, coupon issued), written by the outbox relay in the
-- statement that publishes the event; the text is rendered on read in the tenant's language.
-- CreateTable
CREATE TABLE "inbox_messages" (
    "tenant_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "read_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "inbox_messages_tenant_id_event_id_key" ON "inbox_messages"("tenant_id", "event_id");

-- CreateIndex
CREATE INDEX "inbox_messages_tenant_id_member_id_created_at_id_idx" ON "inbox_messages"("tenant_id", "member_id", "created_at" DESC, "id" DESC);

-- CreateIndex (unread counts)
CREATE INDEX "inbox_messages_unread_idx" ON "inbox_messages"("tenant_id", "member_id") WHERE "read_at" IS NULL;

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbox_messages" ADD CONSTRAINT "inbox_messages_tenant_id_member_id_fkey" FOREIGN KEY ("tenant_id", "member_id") REFERENCES "members"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

SELECT up_tenant_table('inbox_messages', 'rw');
