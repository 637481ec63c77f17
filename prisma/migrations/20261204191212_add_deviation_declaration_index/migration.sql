-- CreateIndex
CREATE INDEX "Deviation_declarationId_idx" ON "Deviation"("declarationId");
