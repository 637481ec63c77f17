-- AlterTable
ALTER TABLE "Deviation" ADD COLUMN     "fieldSources" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "naturalKey" TEXT,
ADD COLUMN     "pendingSuggestion" JSONB;

-- CreateTable
CREATE TABLE "DeviationOccurrence" (
    "id" UUID NOT NULL,
    "deviationId" UUID NOT NULL,
    "declarationId" UUID NOT NULL,
    "requirementRowId" UUID,
    "answer" "Answer" NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviationOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DeviationOccurrence_requirementRowId_key" ON "DeviationOccurrence"("requirementRowId");

-- CreateIndex
CREATE INDEX "DeviationOccurrence_declarationId_idx" ON "DeviationOccurrence"("declarationId");

-- CreateIndex
CREATE UNIQUE INDEX "DeviationOccurrence_deviationId_declarationId_key" ON "DeviationOccurrence"("deviationId", "declarationId");

-- CreateIndex
CREATE UNIQUE INDEX "Deviation_naturalKey_key" ON "Deviation"("naturalKey");

-- AddForeignKey
ALTER TABLE "DeviationOccurrence" ADD CONSTRAINT "DeviationOccurrence_deviationId_fkey" FOREIGN KEY ("deviationId") REFERENCES "Deviation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviationOccurrence" ADD CONSTRAINT "DeviationOccurrence_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "Declaration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviationOccurrence" ADD CONSTRAINT "DeviationOccurrence_requirementRowId_fkey" FOREIGN KEY ("requirementRowId") REFERENCES "RequirementRow"("id") ON DELETE SET NULL ON UPDATE CASCADE;
