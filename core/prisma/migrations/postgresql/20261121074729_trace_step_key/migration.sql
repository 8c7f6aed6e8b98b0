-- DropIndex
DROP INDEX "FlowRunStep_runId_seq_key";

-- AlterTable
ALTER TABLE "FlowRunStep" DROP CONSTRAINT "FlowRunStep_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "FlowRunStep_pkey" PRIMARY KEY ("runId", "seq");
