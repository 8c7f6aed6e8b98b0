-- The trace is written as one row per turn instead of one row per node (FlowRunStep).
-- Existing steps are kept: each becomes a turn row of its own, in the same JSON shape the
-- runtime writes ({ seq, nodeId, nodeType, input, output, port, error, startedAt, durationMs }).

-- CreateTable
CREATE TABLE "FlowRunTurn" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FlowRunTurn_pkey" PRIMARY KEY ("runId","seq")
);

-- AddForeignKey
ALTER TABLE "FlowRunTurn" ADD CONSTRAINT "FlowRunTurn_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CopyData
INSERT INTO "FlowRunTurn" ("runId", "seq", "steps", "startedAt")
SELECT "runId", "seq",
    jsonb_build_array(jsonb_build_object(
        'seq', "seq",
        'nodeId', "nodeId",
        'nodeType', "nodeType",
        'input', "input",
        'output', "output",
        'port', "port",
        'error', "error",
        'startedAt', to_char("startedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'durationMs', "durationMs"
    )),
    "startedAt"
FROM "FlowRunStep";

-- DropForeignKey
ALTER TABLE "FlowRunStep" DROP CONSTRAINT "FlowRunStep_runId_fkey";

-- DropTable
DROP TABLE "FlowRunStep";
