-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FlowRunStep" (
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "nodeId" TEXT NOT NULL,
    "nodeType" TEXT NOT NULL,
    "input" JSONB NOT NULL DEFAULT '{}',
    "output" JSONB NOT NULL DEFAULT '{}',
    "port" TEXT,
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" REAL NOT NULL DEFAULT 0,

    PRIMARY KEY ("runId", "seq"),
    CONSTRAINT "FlowRunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "FlowRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FlowRunStep" ("durationMs", "error", "input", "nodeId", "nodeType", "output", "port", "runId", "seq", "startedAt") SELECT "durationMs", "error", "input", "nodeId", "nodeType", "output", "port", "runId", "seq", "startedAt" FROM "FlowRunStep";
DROP TABLE "FlowRunStep";
ALTER TABLE "new_FlowRunStep" RENAME TO "FlowRunStep";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
