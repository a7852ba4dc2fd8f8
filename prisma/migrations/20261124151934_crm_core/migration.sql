/*
  Warnings:

  - You are about to drop the column `is_primary` on the `contact` table. All the data in the column will be lost.
  - You are about to drop the column `role` on the `contact` table. All the data in the column will be lost.
  - A unique constraint covering the columns `[primary_contact_id]` on the table `account` will be added. If there are existing duplicate values, this will fail.
  - A unique constraint covering the columns `[renewal_of_contract_id]` on the table `opportunity` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "account" ADD COLUMN     "address_line1" TEXT,
ADD COLUMN     "address_line2" TEXT,
ADD COLUMN     "deactivated_at" TIMESTAMPTZ(3),
ADD COLUMN     "deactivation_reason" TEXT,
ADD COLUMN     "postal_code" TEXT,
ADD COLUMN     "primary_contact_id" UUID,
ADD COLUMN     "state_code" TEXT;

-- AlterTable: contact roles become a list and the primary contact moves to the account
-- (one column there, so the database allows one primary per account). Data carried over.
ALTER TABLE "contact" ADD COLUMN     "is_active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "roles" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "contact" SET "roles" = ARRAY["role"] WHERE "role" IS NOT NULL;
UPDATE "account" a SET "primary_contact_id" = c.id
  FROM (SELECT DISTINCT ON (account_id) account_id, id FROM "contact" WHERE "is_primary"
        ORDER BY account_id, created_at) c
 WHERE c.account_id = a.id;
ALTER TABLE "contact" DROP COLUMN "is_primary",
DROP COLUMN "role";

-- AlterTable
ALTER TABLE "opportunity" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'new_business',
ADD COLUMN     "lost_to_competitor" TEXT,
ADD COLUMN     "renewal_of_contract_id" UUID,
ADD COLUMN     "won_reason" TEXT;

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "contact_id" UUID,
ADD COLUMN     "contract_id" UUID,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "invoice_id" UUID,
ADD COLUMN     "opportunity_id" UUID,
ADD COLUMN     "priority" TEXT NOT NULL DEFAULT 'normal',
ADD COLUMN     "ticket_id" UUID;

-- CreateTable
CREATE TABLE "document_sequence" (
    "series" TEXT NOT NULL,
    "financial_year" TEXT NOT NULL,
    "last_value" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "document_sequence_pkey" PRIMARY KEY ("series","financial_year")
);

-- CreateTable
CREATE TABLE "sales_order" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "opportunity_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'confirmed',
    "currency" TEXT NOT NULL,
    "subtotal" DECIMAL(18,2) NOT NULL,
    "ordered_at" TIMESTAMPTZ(3) NOT NULL,
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "sales_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_order_line" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "hsn_sac" TEXT,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit_price" DECIMAL(18,2) NOT NULL,
    "gst_rate" DECIMAL(5,2) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "invoiced_quantity" DECIMAL(18,3) NOT NULL DEFAULT 0,

    CONSTRAINT "sales_order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "financial_year" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "order_id" UUID,
    "contact_id" UUID,
    "issue_date" DATE NOT NULL,
    "due_date" DATE NOT NULL,
    "currency" TEXT NOT NULL,
    "seller" JSONB NOT NULL,
    "buyer" JSONB NOT NULL,
    "supplier_state_code" TEXT,
    "place_of_supply" TEXT,
    "tax_regime" TEXT NOT NULL,
    "subtotal" DECIMAL(18,2) NOT NULL,
    "cgst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "sgst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "igst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "round_off" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total" DECIMAL(18,2) NOT NULL,
    "amount_paid" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'issued',
    "reminder_level" INTEGER NOT NULL DEFAULT 0,
    "last_reminder_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "voided_at" TIMESTAMPTZ(3),
    "void_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_line" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "order_line_id" UUID,
    "description" TEXT NOT NULL,
    "hsn_sac" TEXT,
    "quantity" DECIMAL(18,3) NOT NULL,
    "unit_price" DECIMAL(18,2) NOT NULL,
    "taxable_value" DECIMAL(18,2) NOT NULL,
    "gst_rate" DECIMAL(5,2) NOT NULL,
    "cgst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "sgst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "igst" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "total" DECIMAL(18,2) NOT NULL,

    CONSTRAINT "invoice_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "contact_id" UUID,
    "subject" TEXT NOT NULL,
    "description" TEXT,
    "priority" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',
    "channel" TEXT NOT NULL DEFAULT 'api',
    "assignee_id" TEXT,
    "first_response_due_at" TIMESTAMPTZ(3) NOT NULL,
    "resolution_due_at" TIMESTAMPTZ(3) NOT NULL,
    "first_responded_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "pending_since" TIMESTAMPTZ(3),
    "paused_seconds" INTEGER NOT NULL DEFAULT 0,
    "first_response_breached_at" TIMESTAMPTZ(3),
    "resolution_breached_at" TIMESTAMPTZ(3),
    "escalation_level" INTEGER NOT NULL DEFAULT 0,
    "escalated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "opportunity_id" UUID,
    "order_id" UUID,
    "kind" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "auto_renew" BOOLEAN NOT NULL DEFAULT false,
    "renewal_lead_days" INTEGER NOT NULL DEFAULT 90,
    "owner_id" TEXT,
    "renewed_by_contract_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "request_id" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sales_order_number_key" ON "sales_order"("number");

-- CreateIndex
CREATE UNIQUE INDEX "sales_order_opportunity_id_key" ON "sales_order"("opportunity_id");

-- CreateIndex
CREATE INDEX "sales_order_account_id_ordered_at_idx" ON "sales_order"("account_id", "ordered_at");

-- CreateIndex
CREATE UNIQUE INDEX "sales_order_line_order_id_line_no_key" ON "sales_order_line"("order_id", "line_no");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_number_key" ON "invoice"("number");

-- CreateIndex
CREATE INDEX "invoice_account_id_issue_date_idx" ON "invoice"("account_id", "issue_date");

-- CreateIndex
CREATE INDEX "invoice_status_due_date_idx" ON "invoice"("status", "due_date");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_line_invoice_id_line_no_key" ON "invoice_line"("invoice_id", "line_no");

-- CreateIndex
CREATE INDEX "payment_account_id_received_at_idx" ON "payment"("account_id", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "payment_invoice_id_reference_key" ON "payment"("invoice_id", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_number_key" ON "ticket"("number");

-- CreateIndex
CREATE INDEX "ticket_account_id_created_at_idx" ON "ticket"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "ticket_status_priority_idx" ON "ticket"("status", "priority");

-- CreateIndex
CREATE INDEX "ticket_assignee_id_status_idx" ON "ticket"("assignee_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "contract_number_key" ON "contract"("number");

-- CreateIndex
CREATE UNIQUE INDEX "contract_opportunity_id_key" ON "contract"("opportunity_id");

-- CreateIndex
CREATE UNIQUE INDEX "contract_renewed_by_contract_id_key" ON "contract"("renewed_by_contract_id");

-- CreateIndex
CREATE INDEX "contract_account_id_idx" ON "contract"("account_id");

-- CreateIndex
CREATE INDEX "contract_status_end_date_idx" ON "contract"("status", "end_date");

-- CreateIndex
CREATE INDEX "audit_event_entity_entity_id_at_idx" ON "audit_event"("entity", "entity_id", "at");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_at_idx" ON "audit_event"("actor_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "account_primary_contact_id_key" ON "account"("primary_contact_id");

-- CreateIndex
CREATE INDEX "account_is_active_name_id_idx" ON "account"("is_active", "name", "id");

-- CreateIndex
CREATE INDEX "activity_contact_id_occurred_at_idx" ON "activity"("contact_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "activity_task_id_occurred_at_idx" ON "activity"("task_id", "occurred_at" DESC);

-- CreateIndex
CREATE INDEX "activity_actor_id_occurred_at_idx" ON "activity"("actor_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "opportunity_renewal_of_contract_id_key" ON "opportunity"("renewal_of_contract_id");

-- CreateIndex
CREATE INDEX "opportunity_stage_close_date_idx" ON "opportunity"("stage", "close_date");

-- CreateIndex
CREATE INDEX "task_account_id_idx" ON "task"("account_id");

-- CreateIndex
CREATE INDEX "task_opportunity_id_idx" ON "task"("opportunity_id");

-- AddForeignKey
ALTER TABLE "sales_order" ADD CONSTRAINT "sales_order_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_order" ADD CONSTRAINT "sales_order_opportunity_id_fkey" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_order_line" ADD CONSTRAINT "sales_order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract" ADD CONSTRAINT "contract_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit trail is append-only: no role the app connects as may change or remove a row.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
