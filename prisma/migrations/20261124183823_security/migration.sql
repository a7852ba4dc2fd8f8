-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "is_active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "last_login_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_hash" TEXT;

-- CreateTable
CREATE TABLE "role_setting" (
    "role" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "row_scopes" JSONB NOT NULL,
    "field_rules" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "role_setting_pkey" PRIMARY KEY ("role")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,
    "replaces_id" UUID,

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_session" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_failure" (
    "id" BIGSERIAL NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_failure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_share" (
    "id" UUID NOT NULL,
    "record_type" TEXT NOT NULL,
    "record_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "access" TEXT NOT NULL,
    "granted_by" TEXT NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "record_share_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "privacy_request" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_hash" TEXT NOT NULL,
    "lead_ids" TEXT[],
    "contact_ids" TEXT[],
    "requested_by" TEXT NOT NULL,
    "request_id" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "summary" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "privacy_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_user_id_idx" ON "api_key"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "user_session_token_hash_key" ON "user_session"("token_hash");

-- CreateIndex
CREATE INDEX "user_session_user_id_idx" ON "user_session"("user_id");

-- CreateIndex
CREATE INDEX "login_failure_subject_hash_at_idx" ON "login_failure"("subject_hash", "at");

-- CreateIndex
CREATE INDEX "login_failure_ip_at_idx" ON "login_failure"("ip", "at");

-- CreateIndex
CREATE INDEX "record_share_user_id_record_type_idx" ON "record_share"("user_id", "record_type");

-- CreateIndex
CREATE UNIQUE INDEX "record_share_record_type_record_id_user_id_key" ON "record_share"("record_type", "record_id", "user_id");

-- CreateIndex
CREATE INDEX "privacy_request_subject_hash_idx" ON "privacy_request"("subject_hash");

-- The audit trail stays append-only for the app, with one exception: a privacy erasure may
-- overwrite the before/after values of the person's rows (GDPR's right to erasure reaches
-- the audit trail too), and nothing else. The erasure sets leadwire.erasure in its own
-- transaction; who, when and what was done stay as they were.
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('leadwire.erasure', true) = 'on'
     AND NEW.id = OLD.id AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
     AND NEW.action = OLD.action AND NEW.actor_id = OLD.actor_id
     AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id AND NEW.at = OLD.at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- 'ae' was the account executive's role before roles were defined; it is now sales_rep.
UPDATE "app_user" SET "role" = 'sales_rep' WHERE "role" = 'ae';
