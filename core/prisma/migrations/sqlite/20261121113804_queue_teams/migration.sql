-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "teamId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Queue_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Queue" ("agingPerMinute", "businessHours", "createdAt", "description", "id", "name", "overflowAfterSeconds", "priority", "requiredSkills", "stickyMinutes", "updatedAt") SELECT "agingPerMinute", "businessHours", "createdAt", "description", "id", "name", "overflowAfterSeconds", "priority", "requiredSkills", "stickyMinutes", "updatedAt" FROM "Queue";
DROP TABLE "Queue";
ALTER TABLE "new_Queue" RENAME TO "Queue";
CREATE UNIQUE INDEX "Queue_name_key" ON "Queue"("name");
CREATE INDEX "Queue_teamId_idx" ON "Queue"("teamId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
