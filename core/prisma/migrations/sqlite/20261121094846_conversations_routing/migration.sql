-- CreateTable
CREATE TABLE "AgentState" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "presence" TEXT NOT NULL DEFAULT 'away',
    "reason" TEXT,
    "since" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "capacity" JSONB NOT NULL DEFAULT '{"chat":5,"voice":1,"email":5}',
    "idleSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AgentState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'bot',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "intent" TEXT,
    "sentiment" TEXT,
    "queueId" TEXT,
    "assigneeId" TEXT,
    "tags" JSONB NOT NULL DEFAULT '[]',
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    "channelPlugin" TEXT,
    "identityId" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "messageSeq" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" DATETIME,
    "queuedAt" DATETIME,
    "assignedAt" DATETIME,
    "lastAgentId" TEXT,
    CONSTRAINT "Conversation_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Conversation_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "Queue" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Conversation_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("assigneeId", "attributes", "channel", "contactId", "createdAt", "id", "intent", "priority", "queueId", "resolvedAt", "sentiment", "status", "tags", "updatedAt") SELECT "assigneeId", "attributes", "channel", "contactId", "createdAt", "id", "intent", "priority", "queueId", "resolvedAt", "sentiment", "status", "tags", "updatedAt" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_contactId_idx" ON "Conversation"("contactId");
CREATE INDEX "Conversation_status_queueId_idx" ON "Conversation"("status", "queueId");
CREATE INDEX "Conversation_assigneeId_status_idx" ON "Conversation"("assigneeId", "status");
CREATE TABLE "new_Message" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "conversationId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "channelMessageId" TEXT,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'text',
    "body" TEXT NOT NULL DEFAULT '',
    "payload" JSONB NOT NULL DEFAULT '{}',
    "authorUserId" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'received',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Message_authorUserId_fkey" FOREIGN KEY ("authorUserId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Message" ("authorUserId", "body", "channel", "channelMessageId", "conversationId", "createdAt", "direction", "id", "kind", "payload") SELECT "authorUserId", "body", "channel", "channelMessageId", "conversationId", "createdAt", "direction", "id", "kind", "payload" FROM "Message";
DROP TABLE "Message";
ALTER TABLE "new_Message" RENAME TO "Message";
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");
CREATE INDEX "Message_conversationId_seq_idx" ON "Message"("conversationId", "seq");
CREATE UNIQUE INDEX "Message_channel_channelMessageId_key" ON "Message"("channel", "channelMessageId");
CREATE TABLE "new_Queue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "requiredSkills" JSONB NOT NULL DEFAULT '[]',
    "agingPerMinute" INTEGER NOT NULL DEFAULT 1,
    "overflowAfterSeconds" INTEGER,
    "stickyMinutes" INTEGER NOT NULL DEFAULT 0,
    "businessHours" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Queue" ("businessHours", "createdAt", "description", "id", "name", "priority", "requiredSkills", "updatedAt") SELECT "businessHours", "createdAt", "description", "id", "name", "priority", "requiredSkills", "updatedAt" FROM "Queue";
DROP TABLE "Queue";
ALTER TABLE "new_Queue" RENAME TO "Queue";
CREATE UNIQUE INDEX "Queue_name_key" ON "Queue"("name");
CREATE TABLE "new_QueueMember" (
    "queueId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "standby" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("queueId", "userId"),
    CONSTRAINT "QueueMember_queueId_fkey" FOREIGN KEY ("queueId") REFERENCES "Queue" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "QueueMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_QueueMember" ("queueId", "userId") SELECT "queueId", "userId" FROM "QueueMember";
DROP TABLE "QueueMember";
ALTER TABLE "new_QueueMember" RENAME TO "QueueMember";
CREATE INDEX "QueueMember_userId_idx" ON "QueueMember"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Number the messages already stored, in the order they were written, and note the last number
-- on each conversation (clients resume from a sequence number).
UPDATE "Message" SET "seq" = (
  SELECT COUNT(*) FROM "Message" AS "m2"
  WHERE "m2"."conversationId" = "Message"."conversationId"
    AND ("m2"."createdAt" < "Message"."createdAt" OR ("m2"."createdAt" = "Message"."createdAt" AND "m2"."id" <= "Message"."id"))
);
UPDATE "Conversation" SET "messageSeq" = (
  SELECT COUNT(*) FROM "Message" WHERE "Message"."conversationId" = "Conversation"."id"
);
