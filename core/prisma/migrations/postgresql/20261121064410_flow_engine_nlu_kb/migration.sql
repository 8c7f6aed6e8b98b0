-- AlterTable
ALTER TABLE "FlowRun" ADD COLUMN     "callStack" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "stepCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trigger" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "FlowRunStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "nodeId" TEXT NOT NULL,
    "nodeType" TEXT NOT NULL,
    "input" JSONB NOT NULL DEFAULT '{}',
    "output" JSONB NOT NULL DEFAULT '{}',
    "port" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "FlowRunStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowRunEvent" (
    "key" TEXT NOT NULL,
    "runId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowRunEvent_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "FlowTrigger" (
    "id" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowTrigger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NluIntent" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NluIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NluExample" (
    "id" TEXT NOT NULL,
    "intentId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NluExample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KbEntry" (
    "id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "tags" JSONB NOT NULL DEFAULT '[]',
    "variants" JSONB NOT NULL DEFAULT '[]',
    "language" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KbEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowRunStep_runId_seq_key" ON "FlowRunStep"("runId", "seq");

-- CreateIndex
CREATE INDEX "FlowRunEvent_runId_idx" ON "FlowRunEvent"("runId");

-- CreateIndex
CREATE INDEX "FlowTrigger_kind_idx" ON "FlowTrigger"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "NluIntent_name_key" ON "NluIntent"("name");

-- CreateIndex
CREATE UNIQUE INDEX "NluExample_intentId_text_key" ON "NluExample"("intentId", "text");

-- AddForeignKey
ALTER TABLE "FlowRunStep" ADD CONSTRAINT "FlowRunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowRunEvent" ADD CONSTRAINT "FlowRunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowTrigger" ADD CONSTRAINT "FlowTrigger_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NluExample" ADD CONSTRAINT "NluExample_intentId_fkey" FOREIGN KEY ("intentId") REFERENCES "NluIntent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
