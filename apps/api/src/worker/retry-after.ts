/**
 * A handler's "not now, again in `delayMs`": the job goes back to PENDING after that delay
 * instead of the queue's own backoff (webhook deliveries keep their own schedule, spanning
 * a day, and a delivery waiting for a free slot under its endpoint's cap retries soon).
 */
export class RetryAfter extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = "RetryAfter";
  }
}
