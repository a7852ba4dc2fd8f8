-- Trigram similarity for fuzzy duplicate detection on name + company.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "annual_revenue" DECIMAL(18,2),
ADD COLUMN     "assigned_at" TIMESTAMPTZ(3),
ADD COLUMN     "assignment_reason" TEXT,
ADD COLUMN     "authority" TEXT,
ADD COLUMN     "budget" TEXT,
ADD COLUMN     "city" TEXT,
ADD COLUMN     "company_domain" TEXT,
ADD COLUMN     "company_size" TEXT,
ADD COLUMN     "consent_at" TIMESTAMPTZ(3),
ADD COLUMN     "consent_channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "consent_source" TEXT,
ADD COLUMN     "consent_status" TEXT NOT NULL DEFAULT 'unknown',
ADD COLUMN     "consent_text_version" TEXT,
ADD COLUMN     "country" TEXT,
ADD COLUMN     "currency" TEXT,
ADD COLUMN     "dnd" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "duplicate_of_id" UUID,
ADD COLUMN     "duplicate_reason" JSONB,
ADD COLUMN     "email_domain" TEXT,
ADD COLUMN     "engagement" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "external_ids" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "fuzzy_key" TEXT,
ADD COLUMN     "industry" TEXT,
ADD COLUMN     "is_duplicate" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "need" TEXT,
ADD COLUMN     "opt_in_at" TIMESTAMPTZ(3),
ADD COLUMN     "opt_out_at" TIMESTAMPTZ(3),
ADD COLUMN     "opt_out_reason" TEXT,
ADD COLUMN     "owner_id" TEXT,
ADD COLUMN     "phone_country" TEXT,
ADD COLUMN     "queue" TEXT,
ADD COLUMN     "score" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "score_breakdown" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "score_explanation" TEXT,
ADD COLUMN     "score_rule_version" INTEGER,
ADD COLUMN     "spam_score" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "spam_signals" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "state" TEXT,
ADD COLUMN     "territory_id" TEXT,
ADD COLUMN     "timeline" TEXT,
ADD COLUMN     "title" TEXT,
ADD COLUMN     "validation_issues" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "validation_status" TEXT NOT NULL DEFAULT 'valid',
ADD COLUMN     "website" TEXT;

-- CreateTable
CREATE TABLE "lead_match_key" (
    "key" TEXT NOT NULL,
    "lead_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lead_match_key_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "raw_capture" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "raw_capture_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "touch" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "medium" TEXT NOT NULL,
    "campaign" TEXT,
    "term" TEXT,
    "content" TEXT,
    "referrer" TEXT,
    "landing_page" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "touch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_record" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" TEXT,
    "text_version" TEXT,
    "text" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "dnd" BOOLEAN NOT NULL DEFAULT false,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recorded_by" TEXT NOT NULL,

    CONSTRAINT "consent_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_decision" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "rule_version" INTEGER,
    "inputs" JSONB NOT NULL,
    "outcome" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'sdr',
    "manager_id" TEXT,
    "team_id" TEXT,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "out_of_office_until" TIMESTAMPTZ(3),
    "capacity" INTEGER NOT NULL DEFAULT 200,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "open_leads" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "territory" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "countries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "states" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "industries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "territory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_set" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "activated_at" TIMESTAMPTZ(3),

    CONSTRAINT "rule_set_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignment_cursor" (
    "key" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "assignment_cursor_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "lead_match_key_lead_id_idx" ON "lead_match_key"("lead_id");

-- CreateIndex
CREATE INDEX "raw_capture_lead_id_idx" ON "raw_capture"("lead_id");

-- CreateIndex
CREATE INDEX "touch_lead_id_occurred_at_idx" ON "touch"("lead_id", "occurred_at");

-- CreateIndex
CREATE INDEX "touch_campaign_occurred_at_idx" ON "touch"("campaign", "occurred_at");

-- CreateIndex
CREATE INDEX "consent_record_lead_id_at_idx" ON "consent_record"("lead_id", "at");

-- CreateIndex
CREATE INDEX "lead_decision_lead_id_kind_idx" ON "lead_decision"("lead_id", "kind");

-- CreateIndex
CREATE INDEX "lead_decision_kind_decided_at_idx" ON "lead_decision"("kind", "decided_at");

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "idempotency_key"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "team_name_key" ON "team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "territory_name_key" ON "territory"("name");

-- CreateIndex
CREATE INDEX "rule_set_kind_status_idx" ON "rule_set"("kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "rule_set_kind_version_key" ON "rule_set"("kind", "version");

-- CreateIndex
CREATE INDEX "lead_owner_id_status_idx" ON "lead"("owner_id", "status");

-- CreateIndex
CREATE INDEX "lead_duplicate_of_id_idx" ON "lead"("duplicate_of_id");

-- CreateIndex
CREATE INDEX "lead_status_created_at_idx" ON "lead"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "lead_score_id_idx" ON "lead"("score" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "lead_company_domain_idx" ON "lead"("company_domain");

-- CreateIndex
CREATE INDEX "lead_fuzzy_key_trgm_idx" ON "lead" USING GIN ("fuzzy_key" gin_trgm_ops);

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_match_key" ADD CONSTRAINT "lead_match_key_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "raw_capture" ADD CONSTRAINT "raw_capture_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "touch" ADD CONSTRAINT "touch_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_record" ADD CONSTRAINT "consent_record_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_decision" ADD CONSTRAINT "lead_decision_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;
