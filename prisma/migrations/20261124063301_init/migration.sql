-- CreateEnum
CREATE TYPE "lead_status" AS ENUM ('NEW', 'CONTACTED', 'QUALIFIED', 'CONVERTED', 'DISQUALIFIED', 'RECYCLED');

-- CreateTable
CREATE TABLE "lead" (
    "id" UUID NOT NULL,
    "status" "lead_status" NOT NULL DEFAULT 'NEW',
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "company" TEXT,
    "channel" TEXT NOT NULL,
    "journey_started_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_event" (
    "id" BIGSERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "request_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "lead_created_at_id_idx" ON "lead"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "outbox_event_pending_idx" ON "outbox_event"("dispatched_at", "available_at");

-- CreateIndex
CREATE INDEX "outbox_event_aggregate_id_idx" ON "outbox_event"("aggregate_id");

-- Wake outbox relays at once instead of at their next poll. One notification per
-- statement, with an empty payload: relays claim work from the table itself.
CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_event', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_event_notify
  AFTER INSERT ON "outbox_event"
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();
