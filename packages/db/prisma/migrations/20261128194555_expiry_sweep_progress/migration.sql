-- CreateTable
CREATE TABLE "expiry_sweeps" (
    "name" TEXT NOT NULL,
    "last_cutoff" TIMESTAMPTZ(3),
    "grace_days" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "expiry_sweeps_pkey" PRIMARY KEY ("name")
);
