-- CreateIndex
CREATE INDEX "Declaration_businessSystemId_idx" ON "Declaration"("businessSystemId");
