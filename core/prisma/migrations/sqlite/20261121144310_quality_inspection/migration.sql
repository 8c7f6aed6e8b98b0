-- CreateTable
CREATE TABLE "QaRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "weight" INTEGER NOT NULL DEFAULT 10,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "config" JSONB NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "QaResult" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "agentId" TEXT,
    "teamId" TEXT,
    "queueId" TEXT,
    "channel" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "categoryScores" JSONB NOT NULL DEFAULT '{}',
    "hits" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'auto',
    "evaluatedFor" DATETIME,
    "evaluatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "QaReview" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resultId" TEXT NOT NULL,
    "reviewerId" TEXT,
    "verdict" TEXT NOT NULL,
    "overrides" JSONB NOT NULL DEFAULT '[]',
    "score" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "coachingNote" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QaReview_resultId_fkey" FOREIGN KEY ("resultId") REFERENCES "QaResult" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "QaRule_name_key" ON "QaRule"("name");

-- CreateIndex
CREATE UNIQUE INDEX "QaResult_conversationId_key" ON "QaResult"("conversationId");

-- CreateIndex
CREATE INDEX "QaResult_agentId_evaluatedAt_idx" ON "QaResult"("agentId", "evaluatedAt");

-- CreateIndex
CREATE INDEX "QaResult_teamId_evaluatedAt_idx" ON "QaResult"("teamId", "evaluatedAt");

-- CreateIndex
CREATE INDEX "QaReview_resultId_idx" ON "QaReview"("resultId");
