-- CreateTable
CREATE TABLE "AgentPresenceChange" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "presence" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentPresenceChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentShift" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "queueId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentShift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallRecording" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "contactId" TEXT,
    "callId" TEXT NOT NULL,
    "consentPlayedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "path" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'pcmu-stereo-8k',
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "keyId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'recording',
    "transcript" JSONB,
    "transcribedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallRecording_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "CallRecording" ADD CONSTRAINT "CallRecording_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallRecording" ADD CONSTRAINT "CallRecording_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;
