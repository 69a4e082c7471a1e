/**
 * How product limits and a team's entitlement read to people. Shared by the products
 * screen and the team page so both say "unlimited", "all models" and budgets the same way.
 * The shapes are core's (TProductLimits / TEntitlement); null always means "no limit".
 */
import type { TProductLimits } from "@gatehouse/core";

/** The team-level limits (a product's rotation policy, key defaults and key lifetime are shown on their own). */
export type LimitField = Exclude<
  keyof TProductLimits,
  "rotateEveryDays" | "keyDefaults" | "keyMaxLifetimeDays"
>;

/** Display order and labels; budgetDuration is shown with the budget it belongs to. */
export const limitLabels: Record<Exclude<LimitField, "budgetDuration">, string> = {
  maxKeys: "Max keys",
  maxBudgetUsd: "Budget",
  rpmLimit: "Requests per minute",
  tpmLimit: "Tokens per minute",
  models: "Models",
};

const usd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 2,
});

/** "30d" -> "30 days", "1mo" -> "1 month": LiteLLM's duration strings, read aloud. */
export function formatDuration(duration: string | null): string | null {
  if (!duration) return null;
  const match = /^(\d+)(s|m|h|d|mo)$/.exec(duration);
  if (!match) return duration;
  const n = Number(match[1]);
  const unit = { s: "second", m: "minute", h: "hour", d: "day", mo: "month" }[
    match[2] as "s" | "m" | "h" | "d" | "mo"
  ];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

export function formatBudget(maxBudgetUsd: number | null, budgetDuration: string | null): string {
  if (maxBudgetUsd === null) return "Unlimited";
  const every = formatDuration(budgetDuration);
  return every ? `${usd.format(maxBudgetUsd)} per ${every}` : usd.format(maxBudgetUsd);
}

export function formatLimit(
  field: Exclude<LimitField, "budgetDuration">,
  limits: TProductLimits,
): string {
  if (field === "maxBudgetUsd") return formatBudget(limits.maxBudgetUsd, limits.budgetDuration);
  if (field === "models")
    return limits.models.length === 0 ? "All models" : limits.models.join(", ");
  const value = limits[field];
  return value === null ? "Unlimited" : value.toLocaleString("en-US");
}

/** Short badges for a table cell: only the limits that are set. */
export function limitBadges(limits: TProductLimits): string[] {
  const out: string[] = [];
  if (limits.maxKeys !== null) out.push(`${limits.maxKeys.toLocaleString("en-US")} keys`);
  if (limits.maxBudgetUsd !== null)
    out.push(formatBudget(limits.maxBudgetUsd, limits.budgetDuration));
  if (limits.rpmLimit !== null) out.push(`${limits.rpmLimit.toLocaleString("en-US")} RPM`);
  if (limits.tpmLimit !== null) out.push(`${limits.tpmLimit.toLocaleString("en-US")} TPM`);
  if (limits.models.length > 0)
    out.push(`${limits.models.length} model${limits.models.length === 1 ? "" : "s"}`);
  if (limits.rotateEveryDays) out.push(`Keys rotate every ${limits.rotateEveryDays} days`);
  return out;
}
