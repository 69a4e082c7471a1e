import { z } from "zod";
import { ZProduct } from "./shared.schema.ts";

export const ZProductsListOutput = z.array(ZProduct);
