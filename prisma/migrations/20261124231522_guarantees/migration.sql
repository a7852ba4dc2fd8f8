-- AlterTable
ALTER TABLE "idempotency_key" ADD COLUMN     "last_replay_at" TIMESTAMPTZ(3),
ADD COLUMN     "replays" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "task" ADD COLUMN     "consent_record_id" BIGINT;

-- CreateTable
CREATE TABLE "payload_key" (
    "subject" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "wrapped_key" BYTEA,
    "wrapped" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyed_at" TIMESTAMPTZ(3),

    CONSTRAINT "payload_key_pkey" PRIMARY KEY ("subject")
);

-- CreateIndex
CREATE UNIQUE INDEX "payload_key_key_id_key" ON "payload_key"("key_id");

-- The touch ledger is append-only: first and last touch are computed from it, so a merge or
-- an edit can never lose or move a touch. Only erasure may change a row, and only to blank
-- the text that can name the person (referrer, landing page, term, content);
-- it says so with SET LOCAL leadwire.erasing = 'on' inside its own transaction. (A source,
-- medium or campaign goes only when someone typed a contact point into it.)
CREATE FUNCTION touch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'touch is append-only: rows are never deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF coalesce(current_setting('leadwire.erasing', true), '') <> 'on' THEN
    RAISE EXCEPTION 'touch is append-only: rows are never updated' USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.lead_id IS DISTINCT FROM OLD.lead_id
     OR NEW.channel IS DISTINCT FROM OLD.channel OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at THEN
    RAISE EXCEPTION 'erasure may only scrub a touch''s text, never its lead, channel or time'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER touch_append_only BEFORE UPDATE OR DELETE ON touch
  FOR EACH ROW EXECUTE FUNCTION touch_append_only();
