/**
 * Records a password reset request and queues the one job that decides on it (the worker
 * runs workflows/auth/password-reset.ts), in the caller's transaction: the same two inserts
 * whatever the email.
 */
import { jobs } from "@gatehouse/core";
import { enqueueJobs, insertPasswordResetRequest, type Tx } from "@gatehouse/db";

export async function recordPasswordResetRequest(tx: Tx, email: string, now: Date): Promise<void> {
  const request = await insertPasswordResetRequest(tx, email, now);
  await enqueueJobs(tx, [jobs.processPasswordReset({ requestId: request.id })]);
}
