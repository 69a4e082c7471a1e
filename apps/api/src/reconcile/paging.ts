/**
 * Streaming helpers of the scan: an offset-paged listing read a few pages ahead, a pull
 * cursor over pages, and bounded-concurrency point lookups.
 */

/**
 * Pages of an offset-paged listing, `depth` requests ahead, in order. Stops after the last
 * page the listing announced, or at the first empty page when it grew meanwhile.
 */
export async function* readAhead<T>(
  fetchPage: (page: number) => Promise<{ items: T[]; totalPages: number }>,
  depth: number,
): AsyncGenerator<T[], void, undefined> {
  const first = await fetchPage(1);
  yield first.items;
  let totalPages = first.totalPages;
  const inFlight: Array<Promise<{ items: T[]; totalPages: number }>> = [];
  let next = 2;
  for (;;) {
    while (inFlight.length < depth && next <= totalPages) {
      const request = fetchPage(next++);
      // Marked handled: a scan that stops early leaves requests unawaited (awaiting one
      // still throws its error).
      request.catch(() => undefined);
      inFlight.push(request);
    }
    const pending = inFlight.shift();
    if (!pending) return;
    const page = await pending;
    if (page.items.length === 0) {
      // Shrunk meanwhile: later pages are empty too. Settle the ones in flight.
      await Promise.allSettled(inFlight);
      return;
    }
    yield page.items;
    totalPages = Math.max(totalPages, page.totalPages);
  }
}

/** A pull iterator over a stream of pages, one item at a time. */
export class Cursor<T> {
  #page: T[] = [];
  #index = 0;
  #done = false;
  constructor(private readonly pages: AsyncIterator<T[]>) {}
  async peek(): Promise<T | undefined> {
    while (this.#index >= this.#page.length && !this.#done) {
      const next = await this.pages.next();
      if (next.done) this.#done = true;
      else {
        this.#page = next.value;
        this.#index = 0;
      }
    }
    return this.#page[this.#index];
  }
  advance(): void {
    this.#index++;
  }
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!);
      }
    }),
  );
  return results;
}
