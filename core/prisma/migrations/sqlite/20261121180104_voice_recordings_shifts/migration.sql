-- CreateTable
CREATE TABLE "AgentPresenceChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "presence" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AgentShift" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "queueId" TEXT,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CallRecording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "contactId" TEXT,
    "callId" TEXT NOT NULL,
    "consentPlayedAt" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "path" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'pcmu-stereo-8k',
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "keyId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'recording',
    "transcript" JSONB,
    "transcribedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CallRecording_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CallRecording_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AgentPresenceChange_userId_at_idx" ON "AgentPresenceChange"("userId", "at");

-- CreateIndex
CREATE INDEX "AgentPresenceChange_at_idx" ON "AgentPresenceChange"("at");

-- CreateIndex
CREATE INDEX "AgentShift_startsAt_idx" ON "AgentShift"("startsAt");

-- CreateIndex
CREATE INDEX "AgentShift_userId_startsAt_idx" ON "AgentShift"("userId", "startsAt");

-- CreateIndex
CREATE INDEX "CallRecording_conversationId_idx" ON "CallRecording"("conversationId");

-- CreateIndex
CREATE INDEX "CallRecording_contactId_idx" ON "CallRecording"("contactId");

-- CreateIndex
CREATE INDEX "CallRecording_startedAt_idx" ON "CallRecording"("startedAt");
