import { ZMe } from "./shared.schema.ts";

/** Null for a visitor without a (live) session. */
export const ZAuthSessionOutput = ZMe.nullable();
