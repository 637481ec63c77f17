-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "PartyKind" AS ENUM ('supplier', 'data_provider', 'operations', 'administration');

-- CreateEnum
CREATE TYPE "DeclarationStatus" AS ENUM ('queued', 'processing', 'parsed', 'failed');

-- CreateEnum
CREATE TYPE "Answer" AS ENUM ('met', 'not_met', 'partially_met', 'not_applicable', 'unanswered');

-- CreateEnum
CREATE TYPE "Area" AS ENUM ('business_system', 'base_service', 'ssbtek', 'unassigned');

-- CreateEnum
CREATE TYPE "DeviationStatus" AS ENUM ('new', 'in_dialogue', 'will_fix', 'wont_fix', 'postponed', 'rejected_not_deviation', 'rejected_duplicate', 'fixed', 'closed');

-- CreateTable
CREATE TABLE "Party" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "PartyKind" NOT NULL,
    "name" TEXT NOT NULL,
    "organisationNumber" TEXT,
    "aliases" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Party_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaseService" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[],
    "providerId" UUID NOT NULL,

    CONSTRAINT "BaseService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BusinessSystem" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "supplierId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BusinessSystem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Declaration" (
    "id" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "DeclarationStatus" NOT NULL DEFAULT 'queued',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "parserVersion" TEXT,
    "ruleSetVersion" TEXT,
    "processedAt" TIMESTAMP(3),
    "counts" JSONB,
    "parseReport" JSONB,
    "supplierId" UUID,
    "businessSystemId" UUID,

    CONSTRAINT "Declaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeclarationFile" (
    "declarationId" UUID NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "DeclarationFile_pkey" PRIMARY KEY ("declarationId")
);

-- CreateTable
CREATE TABLE "CoverFacts" (
    "declarationId" UUID NOT NULL,
    "supplier" TEXT,
    "organisationNumber" TEXT,
    "system" TEXT,
    "version" TEXT,
    "municipality" TEXT,
    "date" TEXT,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,

    CONSTRAINT "CoverFacts_pkey" PRIMARY KEY ("declarationId")
);

-- CreateTable
CREATE TABLE "RequirementRow" (
    "id" UUID NOT NULL,
    "declarationId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "requirementId" TEXT,
    "areaHint" TEXT,
    "text" TEXT NOT NULL,
    "answer" "Answer" NOT NULL,
    "answerRaw" TEXT,
    "comment" TEXT,
    "attachments" TEXT[],
    "sourceSheet" TEXT,
    "sourceRow" INTEGER,
    "sourcePage" INTEGER,
    "sourceLine" INTEGER,

    CONSTRAINT "RequirementRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Deviation" (
    "id" UUID NOT NULL,
    "declarationId" UUID,
    "requirementRowId" UUID,
    "businessSystemId" UUID,
    "supplierCode" TEXT,
    "municipality" TEXT,
    "requirementId" TEXT,
    "answer" "Answer",
    "status" "DeviationStatus" NOT NULL DEFAULT 'new',
    "title" TEXT NOT NULL,
    "reproduction" TEXT,
    "result" TEXT,
    "material" TEXT[],
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,
    "missingFields" TEXT[],
    "proposedArea" "Area" NOT NULL,
    "proposedPartyKind" "PartyKind" NOT NULL,
    "proposedPartyCode" TEXT,
    "proposalRuleIds" TEXT[],
    "proposalEvidence" JSONB NOT NULL,
    "proposalConfidence" DOUBLE PRECISION NOT NULL,
    "proposalCandidates" JSONB NOT NULL,
    "newRequirement" BOOLEAN NOT NULL DEFAULT false,
    "parserVersion" TEXT,
    "ruleSetVersion" TEXT NOT NULL,
    "ownerArea" "Area",
    "ownerPartyCode" TEXT,
    "ownerSetBy" TEXT,
    "ownerSetAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Deviation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviationEvent" (
    "id" BIGSERIAL NOT NULL,
    "deviationId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "fromValue" JSONB,
    "toValue" JSONB,
    "reason" TEXT,

    CONSTRAINT "DeviationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Party_code_key" ON "Party"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Party_organisationNumber_key" ON "Party"("organisationNumber");

-- CreateIndex
CREATE UNIQUE INDEX "BaseService_code_key" ON "BaseService"("code");

-- CreateIndex
CREATE UNIQUE INDEX "BusinessSystem_supplierId_name_key" ON "BusinessSystem"("supplierId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Declaration_sha256_key" ON "Declaration"("sha256");

-- CreateIndex
CREATE INDEX "Declaration_status_idx" ON "Declaration"("status");

-- CreateIndex
CREATE INDEX "Declaration_receivedAt_idx" ON "Declaration"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RequirementRow_declarationId_position_key" ON "RequirementRow"("declarationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Deviation_requirementRowId_key" ON "Deviation"("requirementRowId");

-- CreateIndex
CREATE INDEX "Deviation_status_idx" ON "Deviation"("status");

-- CreateIndex
CREATE INDEX "Deviation_proposedPartyCode_idx" ON "Deviation"("proposedPartyCode");

-- CreateIndex
CREATE INDEX "Deviation_businessSystemId_idx" ON "Deviation"("businessSystemId");

-- CreateIndex
CREATE INDEX "DeviationEvent_deviationId_at_idx" ON "DeviationEvent"("deviationId", "at");

-- AddForeignKey
ALTER TABLE "BaseService" ADD CONSTRAINT "BaseService_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BusinessSystem" ADD CONSTRAINT "BusinessSystem_supplierId_fkey" FOREIGN KEY ("supplierId") REFERENCES "Party"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Declaration" ADD CONSTRAINT "Declaration_supplierId_fkey" FOREIGN KEY ("supplierId") REFERENCES "Party"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Declaration" ADD CONSTRAINT "Declaration_businessSystemId_fkey" FOREIGN KEY ("businessSystemId") REFERENCES "BusinessSystem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeclarationFile" ADD CONSTRAINT "DeclarationFile_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "Declaration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverFacts" ADD CONSTRAINT "CoverFacts_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "Declaration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequirementRow" ADD CONSTRAINT "RequirementRow_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "Declaration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deviation" ADD CONSTRAINT "Deviation_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "Declaration"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deviation" ADD CONSTRAINT "Deviation_requirementRowId_fkey" FOREIGN KEY ("requirementRowId") REFERENCES "RequirementRow"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Deviation" ADD CONSTRAINT "Deviation_businessSystemId_fkey" FOREIGN KEY ("businessSystemId") REFERENCES "BusinessSystem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviationEvent" ADD CONSTRAINT "DeviationEvent_deviationId_fkey" FOREIGN KEY ("deviationId") REFERENCES "Deviation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
