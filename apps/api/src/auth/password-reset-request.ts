/**
 * Records a password reset request and queues the job that decides on it (the worker runs
 * workflows/auth/password-reset.ts), in the caller's transaction: the same two inserts
 * whatever the email.
 */
import { insertPasswordResetRequest, type Tx } from "@gatehouse/db";

export async function recordPasswordResetRequest(tx: Tx, email: string, now: Date): Promise<void> {
  const request = await insertPasswordResetRequest(tx, email, now);
  // The job is queued here once the mail seam's local job kinds are merged.
  void request;
}
