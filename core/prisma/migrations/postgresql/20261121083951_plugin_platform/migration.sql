-- AlterTable
ALTER TABLE "Plugin" ADD COLUMN     "code" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disabledReason" TEXT,
ADD COLUMN     "icon" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "manifest" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "previousVersion" TEXT,
ADD COLUMN     "readme" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "PluginKv" (
    "pluginId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "size" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PluginKv_pkey" PRIMARY KEY ("pluginId","key")
);

-- AddForeignKey
ALTER TABLE "PluginKv" ADD CONSTRAINT "PluginKv_pluginId_fkey" FOREIGN KEY ("pluginId") REFERENCES "Plugin"("id") ON DELETE CASCADE ON UPDATE CASCADE;
