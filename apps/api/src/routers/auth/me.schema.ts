import { ZMe } from "./shared.schema.ts";

export const ZAuthMeOutput = ZMe;
