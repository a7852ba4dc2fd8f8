-- CreateTable
CREATE TABLE "inbound_delivery" (
    "connector_id" TEXT NOT NULL,
    "delivery_key" TEXT NOT NULL,
    "request_hash" TEXT,
    "outcome" TEXT NOT NULL,
    "lead_id" UUID,
    "activity_id" UUID,
    "result" JSONB NOT NULL DEFAULT '{}',
    "raw_ref" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "last_duplicate_at" TIMESTAMPTZ(3),

    CONSTRAINT "inbound_delivery_pkey" PRIMARY KEY ("connector_id","delivery_key")
);

-- CreateTable
CREATE TABLE "connector_state" (
    "connector_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "last_activity_at" TIMESTAMPTZ(3),
    "deliveries" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "state" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_state_pkey" PRIMARY KEY ("connector_id")
);

-- CreateTable
CREATE TABLE "whatsapp_auth" (
    "session_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whatsapp_auth_pkey" PRIMARY KEY ("session_id","kind","key_id")
);

-- CreateTable
CREATE TABLE "web_form" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "field_mapping" JSONB NOT NULL DEFAULT '{}',
    "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "consent_text" TEXT,
    "consent_text_version" TEXT,
    "consent_channels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "redirect_url" TEXT,
    "success_message" TEXT,
    "honeypot_field" TEXT NOT NULL DEFAULT 'website_url',
    "rate_limit_per_minute" INTEGER NOT NULL DEFAULT 20,
    "attribution" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "web_form_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "rate_limit_per_minute" INTEGER NOT NULL DEFAULT 120,
    "attribution_source" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "partner_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partner_key" (
    "id" TEXT NOT NULL,
    "partner_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "label" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,

    CONSTRAINT "partner_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rate_limit_window" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_window_pkey" PRIMARY KEY ("bucket","window_start")
);

-- CreateTable
CREATE TABLE "import_job" (
    "id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL DEFAULT false,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "file_hash" TEXT NOT NULL,
    "file_path" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "mapping" JSONB NOT NULL DEFAULT '{}',
    "defaults" JSONB NOT NULL DEFAULT '{}',
    "total_rows" INTEGER,
    "processed_rows" INTEGER NOT NULL DEFAULT 0,
    "checkpoint_row" INTEGER NOT NULL DEFAULT 0,
    "created_leads" INTEGER NOT NULL DEFAULT 0,
    "duplicates_in_file" INTEGER NOT NULL DEFAULT 0,
    "duplicates_in_db" INTEGER NOT NULL DEFAULT 0,
    "quarantined" INTEGER NOT NULL DEFAULT 0,
    "failed_rows" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "import_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_row_error" (
    "job_id" UUID NOT NULL,
    "row_number" INTEGER NOT NULL,
    "errors" JSONB NOT NULL,
    "raw" JSONB NOT NULL,

    CONSTRAINT "import_row_error_pkey" PRIMARY KEY ("job_id","row_number")
);

-- CreateTable
CREATE TABLE "whatsapp_outgoing" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "to_e164" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "provider_message_id" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "whatsapp_outgoing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbound_delivery_lead_id_idx" ON "inbound_delivery"("lead_id");

-- CreateIndex
CREATE INDEX "inbound_delivery_connector_id_received_at_idx" ON "inbound_delivery"("connector_id", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "partner_name_key" ON "partner"("name");

-- CreateIndex
CREATE UNIQUE INDEX "partner_key_key_hash_key" ON "partner_key"("key_hash");

-- CreateIndex
CREATE INDEX "partner_key_partner_id_idx" ON "partner_key"("partner_id");

-- CreateIndex
CREATE INDEX "rate_limit_window_window_start_idx" ON "rate_limit_window"("window_start");

-- CreateIndex
CREATE INDEX "import_job_created_at_idx" ON "import_job"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "whatsapp_outgoing_idempotency_key_key" ON "whatsapp_outgoing"("idempotency_key");

-- CreateIndex
CREATE INDEX "whatsapp_outgoing_status_created_at_idx" ON "whatsapp_outgoing"("status", "created_at");

-- AddForeignKey
ALTER TABLE "partner_key" ADD CONSTRAINT "partner_key_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partner"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "import_row_error" ADD CONSTRAINT "import_row_error_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "import_job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
