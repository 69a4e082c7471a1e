import { withClasses } from "./with-classes.tsx";

export const Card = withClasses("section", "rounded-lg border bg-card shadow-sm");
export const CardHeader = withClasses(
  "div",
  "flex flex-wrap items-center justify-between gap-2 border-b px-4 py-3",
);
export const CardTitle = withClasses("h2", "text-base font-semibold");
export const CardContent = withClasses("div", "p-4");
