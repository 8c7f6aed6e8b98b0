-- CreateIndex
CREATE INDEX "Survey_contactId_status_idx" ON "Survey"("contactId", "status");
