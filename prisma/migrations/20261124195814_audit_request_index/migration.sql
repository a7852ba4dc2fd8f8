-- CreateIndex
CREATE INDEX "audit_event_request_id_idx" ON "audit_event"("request_id");
