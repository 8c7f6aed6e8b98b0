-- The trace is written as one row per turn instead of one row per node (FlowRunStep).
-- Existing steps are kept: each becomes a turn row of its own, in the same JSON shape the
-- runtime writes ({ seq, nodeId, nodeType, input, output, port, error, startedAt, durationMs }).

-- CreateTable
CREATE TABLE "FlowRunTurn" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "FlowRunTurn_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CopyData
INSERT INTO "FlowRunTurn" ("runId", "seq", "steps", "startedAt")
SELECT "runId", "seq",
    json_array(json_object(
        'seq', "seq",
        'nodeId', "nodeId",
        'nodeType', "nodeType",
        'input', json("input"),
        'output', json("output"),
        'port', "port",
        'error', "error",
        'startedAt', CASE typeof("startedAt")
            WHEN 'integer' THEN strftime('%Y-%m-%dT%H:%M:%fZ', "startedAt" / 1000.0, 'unixepoch')
            ELSE "startedAt" END,
        'durationMs', "durationMs"
    )),
    "startedAt"
FROM "FlowRunStep";

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "FlowRunStep";
PRAGMA foreign_keys=on;
