-- AlterEnum
ALTER TYPE "lead_status" ADD VALUE 'NURTURING';

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "contacted_at" TIMESTAMPTZ(3),
ADD COLUMN     "disqualified_reason" TEXT,
ADD COLUMN     "journey_stage" TEXT,
ADD COLUMN     "last_engaged_at" TIMESTAMPTZ(3),
ADD COLUMN     "time_zone" TEXT;

-- CreateTable
CREATE TABLE "activity" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "subject" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "lead_id" UUID,
    "account_id" UUID,
    "contact_id" UUID,
    "opportunity_id" UUID,
    "task_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT NOT NULL,
    "dedupe_key" TEXT,

    CONSTRAINT "activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "lead_id" UUID,
    "account_id" UUID,
    "assignee_id" TEXT,
    "queue" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "snoozed_until" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "escalated_to_id" TEXT,
    "parent_task_id" UUID,
    "workflow_id" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "completed_by" TEXT,
    "outcome" TEXT,
    "note" TEXT,
    "dedupe_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "lead_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "sequence_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL,
    "skip_reason" TEXT,
    "provider" TEXT,
    "provider_message_id" TEXT,
    "consent_record_id" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_qualification" (
    "lead_id" UUID NOT NULL,
    "record" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "risk_level" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "lead_qualification_pkey" PRIMARY KEY ("lead_id")
);

-- CreateTable
CREATE TABLE "lead_conversion" (
    "lead_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "opportunity_id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "account_matched_by" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "converted_at" TIMESTAMPTZ(3) NOT NULL,
    "converted_by" TEXT NOT NULL,

    CONSTRAINT "lead_conversion_pkey" PRIMARY KEY ("lead_id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT,
    "gstin" TEXT,
    "type" TEXT NOT NULL DEFAULT 'prospect',
    "industry" TEXT,
    "company_size" TEXT,
    "annual_revenue" DECIMAL(18,2),
    "currency" TEXT,
    "country" TEXT,
    "state" TEXT,
    "city" TEXT,
    "owner_id" TEXT,
    "lifecycle_stage" TEXT NOT NULL DEFAULT 'MQA',
    "lifecycle_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "health_score" INTEGER NOT NULL DEFAULT 50,
    "health_factors" JSONB NOT NULL DEFAULT '[]',
    "health_updated_at" TIMESTAMPTZ(3),
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "lead_id" UUID,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "title" TEXT,
    "role" TEXT,
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "consent_status" TEXT NOT NULL DEFAULT 'unknown',
    "consent_channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "dnd" BOOLEAN NOT NULL DEFAULT false,
    "opt_out_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "contact_id" UUID,
    "lead_id" UUID,
    "name" TEXT NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "probability" INTEGER NOT NULL,
    "forecast_category" TEXT NOT NULL,
    "close_date" DATE NOT NULL,
    "owner_id" TEXT,
    "won_at" TIMESTAMPTZ(3),
    "lost_at" TIMESTAMPTZ(3),
    "lost_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "opportunity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "opportunity_stage_change" (
    "id" BIGSERIAL NOT NULL,
    "opportunity_id" UUID NOT NULL,
    "from_stage" TEXT,
    "to_stage" TEXT NOT NULL,
    "probability" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "by" TEXT NOT NULL,

    CONSTRAINT "opportunity_stage_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "activity_dedupe_key_key" ON "activity"("dedupe_key");

-- CreateIndex
CREATE INDEX "activity_lead_id_occurred_at_idx" ON "activity"("lead_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "activity_account_id_occurred_at_idx" ON "activity"("account_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "activity_opportunity_id_occurred_at_idx" ON "activity"("opportunity_id", "occurred_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "task_dedupe_key_key" ON "task"("dedupe_key");

-- CreateIndex
CREATE INDEX "task_assignee_id_status_due_at_idx" ON "task"("assignee_id", "status", "due_at");

-- CreateIndex
CREATE INDEX "task_lead_id_idx" ON "task"("lead_id");

-- CreateIndex
CREATE INDEX "task_status_due_at_idx" ON "task"("status", "due_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_dedupe_key_key" ON "outbound_message"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbound_message_lead_id_created_at_idx" ON "outbound_message"("lead_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "account_domain_key" ON "account"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "account_gstin_key" ON "account"("gstin");

-- CreateIndex
CREATE INDEX "account_owner_id_idx" ON "account"("owner_id");

-- CreateIndex
CREATE INDEX "account_lifecycle_stage_idx" ON "account"("lifecycle_stage");

-- CreateIndex
CREATE UNIQUE INDEX "contact_lead_id_key" ON "contact"("lead_id");

-- CreateIndex
CREATE INDEX "contact_account_id_idx" ON "contact"("account_id");

-- CreateIndex
CREATE INDEX "contact_email_idx" ON "contact"("email");

-- CreateIndex
CREATE UNIQUE INDEX "opportunity_lead_id_key" ON "opportunity"("lead_id");

-- CreateIndex
CREATE INDEX "opportunity_account_id_idx" ON "opportunity"("account_id");

-- CreateIndex
CREATE INDEX "opportunity_owner_id_stage_idx" ON "opportunity"("owner_id", "stage");

-- CreateIndex
CREATE INDEX "opportunity_stage_change_opportunity_id_at_idx" ON "opportunity_stage_change"("opportunity_id", "at");

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_opportunity_id_fkey" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity" ADD CONSTRAINT "activity_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task" ADD CONSTRAINT "task_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_qualification" ADD CONSTRAINT "lead_qualification_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_conversion" ADD CONSTRAINT "lead_conversion_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity" ADD CONSTRAINT "opportunity_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity" ADD CONSTRAINT "opportunity_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "opportunity_stage_change" ADD CONSTRAINT "opportunity_stage_change_opportunity_id_fkey" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
