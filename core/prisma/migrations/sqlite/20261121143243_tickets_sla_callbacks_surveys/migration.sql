-- CreateTable
CREATE TABLE "TicketConversation" (
    "ticketId" INTEGER NOT NULL,
    "conversationId" TEXT NOT NULL,
    "linkedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("ticketId", "conversationId"),
    CONSTRAINT "TicketConversation_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TicketConversation_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" INTEGER NOT NULL,
    "authorId" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketNote_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TicketNote_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketAttachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" INTEGER NOT NULL,
    "noteId" TEXT,
    "fileName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    "uploadedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketAttachment_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TicketAttachment_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "TicketNote" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ticketId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL DEFAULT '',
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SlaPolicy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "targets" JSONB NOT NULL DEFAULT '{}',
    "warnBeforeMinutes" INTEGER NOT NULL DEFAULT 0,
    "businessHours" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SlaClock" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "policyId" TEXT,
    "ticketId" INTEGER,
    "conversationId" TEXT,
    "metric" TEXT NOT NULL,
    "targetMinutes" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedAt" DATETIME NOT NULL,
    "dueAt" DATETIME,
    "warnAt" DATETIME,
    "pausedAt" DATETIME,
    "usedBusinessMs" INTEGER NOT NULL DEFAULT 0,
    "warnedAt" DATETIME,
    "breachedAt" DATETIME,
    "metAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SlaClock_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "SlaPolicy" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EscalationRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "trigger" TEXT NOT NULL,
    "conditions" JSONB NOT NULL DEFAULT '{}',
    "action" JSONB NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Callback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactId" TEXT,
    "conversationId" TEXT,
    "ticketId" INTEGER,
    "queueId" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'voice',
    "phoneEnc" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL DEFAULT 'api',
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "queuedAt" DATETIME,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME,
    "dueAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 2,
    "retryMinutes" INTEGER NOT NULL DEFAULT 30,
    "assigneeId" TEXT,
    "outcome" TEXT,
    "history" JSONB NOT NULL DEFAULT '[]',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Callback_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Survey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'csat',
    "conversationId" TEXT,
    "ticketId" INTEGER,
    "contactId" TEXT,
    "agentId" TEXT,
    "teamId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "sendAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "answeredAt" DATETIME,
    "score" INTEGER,
    "comment" TEXT,
    "followUpTicketId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Survey_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecurringIssue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactId" TEXT NOT NULL,
    "issueKey" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "occurrences" INTEGER NOT NULL,
    "conversationIds" JSONB NOT NULL DEFAULT '[]',
    "ticketIds" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'open',
    "proposal" JSONB NOT NULL DEFAULT '{}',
    "raisedAt" DATETIME NOT NULL,
    "acknowledgedById" TEXT,
    "acknowledgedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RecurringIssue_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Ticket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subject" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'open',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "category" TEXT,
    "tier" TEXT NOT NULL DEFAULT 'L1',
    "source" TEXT NOT NULL DEFAULT 'agent',
    "contactId" TEXT,
    "conversationId" TEXT,
    "assigneeId" TEXT,
    "teamId" TEXT,
    "mergedIntoId" INTEGER,
    "statusToken" TEXT NOT NULL,
    "slaPolicyId" TEXT,
    "slaState" TEXT NOT NULL DEFAULT 'none',
    "slaDueAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    CONSTRAINT "Ticket_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Ticket_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- existing tickets get a random status-link token
INSERT INTO "new_Ticket" ("assigneeId", "category", "contactId", "conversationId", "createdAt", "id", "priority", "resolvedAt", "status", "subject", "teamId", "tier", "updatedAt", "statusToken") SELECT "assigneeId", "category", "contactId", "conversationId", "createdAt", "id", "priority", "resolvedAt", "status", "subject", "teamId", "tier", "updatedAt", lower(hex(randomblob(24))) FROM "Ticket";
DROP TABLE "Ticket";
ALTER TABLE "new_Ticket" RENAME TO "Ticket";
CREATE UNIQUE INDEX "Ticket_statusToken_key" ON "Ticket"("statusToken");
CREATE INDEX "Ticket_status_priority_idx" ON "Ticket"("status", "priority");
CREATE INDEX "Ticket_assigneeId_idx" ON "Ticket"("assigneeId");
CREATE INDEX "Ticket_contactId_idx" ON "Ticket"("contactId");
CREATE INDEX "Ticket_teamId_status_idx" ON "Ticket"("teamId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "TicketConversation_conversationId_idx" ON "TicketConversation"("conversationId");

-- CreateIndex
CREATE INDEX "TicketNote_ticketId_createdAt_idx" ON "TicketNote"("ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "TicketAttachment_ticketId_idx" ON "TicketAttachment"("ticketId");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_createdAt_idx" ON "TicketEvent"("ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlaPolicy_name_key" ON "SlaPolicy"("name");

-- CreateIndex
CREATE INDEX "SlaClock_ticketId_idx" ON "SlaClock"("ticketId");

-- CreateIndex
CREATE INDEX "SlaClock_conversationId_idx" ON "SlaClock"("conversationId");

-- CreateIndex
CREATE INDEX "SlaClock_status_dueAt_idx" ON "SlaClock"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationRule_name_key" ON "EscalationRule"("name");

-- CreateIndex
CREATE INDEX "Callback_status_dueAt_idx" ON "Callback"("status", "dueAt");

-- CreateIndex
CREATE INDEX "Callback_assigneeId_status_idx" ON "Callback"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Callback_contactId_idx" ON "Callback"("contactId");

-- CreateIndex
CREATE INDEX "Survey_conversationId_status_idx" ON "Survey"("conversationId", "status");

-- CreateIndex
CREATE INDEX "Survey_status_sendAt_idx" ON "Survey"("status", "sendAt");

-- CreateIndex
CREATE INDEX "Survey_agentId_answeredAt_idx" ON "Survey"("agentId", "answeredAt");

-- CreateIndex
CREATE INDEX "RecurringIssue_status_raisedAt_idx" ON "RecurringIssue"("status", "raisedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecurringIssue_contactId_issueKey_raisedAt_key" ON "RecurringIssue"("contactId", "issueKey", "raisedAt");
