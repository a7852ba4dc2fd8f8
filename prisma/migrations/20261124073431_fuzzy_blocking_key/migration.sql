-- Fuzzy duplicate matching at capture time compares names within a company (a blocking key).
-- Leads stored before this migration have no key: exact email/phone matching still finds
-- them, and editing one (PATCH) sets its key.
-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "company_key" TEXT;

-- CreateIndex
CREATE INDEX "lead_company_key_idx" ON "lead"("company_key");
