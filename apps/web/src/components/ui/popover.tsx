import { Popover as PopoverPrimitive } from "radix-ui";
import { floating } from "./with-classes.tsx";

export const Popover = PopoverPrimitive.Root;
export const PopoverTrigger = PopoverPrimitive.Trigger;

export const PopoverContent = floating(
  PopoverPrimitive.Portal,
  PopoverPrimitive.Content,
  "z-50 rounded-md border bg-card p-0 shadow-md outline-none",
  { align: "start" },
);
