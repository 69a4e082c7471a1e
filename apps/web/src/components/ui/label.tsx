import { Label as LabelPrimitive } from "radix-ui";
import { withClasses } from "./with-classes.tsx";

export const Label = withClasses(
  LabelPrimitive.Root,
  "text-sm font-medium leading-none peer-disabled:cursor-not-allowed",
);
