-- AlterTable
ALTER TABLE "Queue" ADD COLUMN     "teamId" TEXT;

-- CreateIndex
CREATE INDEX "Queue_teamId_idx" ON "Queue"("teamId");

-- AddForeignKey
ALTER TABLE "Queue" ADD CONSTRAINT "Queue_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;
