-- CreateTable
CREATE TABLE "PluginKv" (
    "pluginId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "size" INTEGER NOT NULL,
    "expiresAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("pluginId", "key"),
    CONSTRAINT "PluginKv_pluginId_fkey" FOREIGN KEY ("pluginId") REFERENCES "Plugin" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Plugin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "version" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secretsEnc" TEXT,
    "manifest" JSONB NOT NULL DEFAULT '{}',
    "code" TEXT NOT NULL DEFAULT '',
    "readme" TEXT NOT NULL DEFAULT '',
    "icon" TEXT NOT NULL DEFAULT '',
    "previousVersion" TEXT,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Plugin" ("config", "enabled", "id", "installedAt", "secretsEnc", "updatedAt", "version") SELECT "config", "enabled", "id", "installedAt", "secretsEnc", "updatedAt", "version" FROM "Plugin";
DROP TABLE "Plugin";
ALTER TABLE "new_Plugin" RENAME TO "Plugin";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
