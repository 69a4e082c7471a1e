/** The outbox's open message lives in the URL (`?mail=<id>`), so a message has a link. */
import { ZId } from "@gatehouse/core";
import { z } from "zod";

export const ZOutboxSearch = z.object({ mail: ZId.optional().catch(undefined) });
export type OutboxSearch = z.infer<typeof ZOutboxSearch>;
