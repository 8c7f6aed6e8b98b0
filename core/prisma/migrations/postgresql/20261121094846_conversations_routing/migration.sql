-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "channelPlugin" TEXT,
ADD COLUMN     "identityId" TEXT,
ADD COLUMN     "lastAgentId" TEXT,
ADD COLUMN     "lastMessageAt" TIMESTAMP(3),
ADD COLUMN     "messageSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "queuedAt" TIMESTAMP(3),
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'received';

-- AlterTable
ALTER TABLE "Queue" ADD COLUMN     "agingPerMinute" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "overflowAfterSeconds" INTEGER,
ADD COLUMN     "stickyMinutes" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "QueueMember" ADD COLUMN     "standby" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AgentState" (
    "userId" TEXT NOT NULL,
    "presence" TEXT NOT NULL DEFAULT 'away',
    "reason" TEXT,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "capacity" JSONB NOT NULL DEFAULT '{"chat":5,"voice":1,"email":5}',
    "idleSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentState_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "Message_conversationId_seq_idx" ON "Message"("conversationId", "seq");

-- AddForeignKey
ALTER TABLE "AgentState" ADD CONSTRAINT "AgentState_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

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
