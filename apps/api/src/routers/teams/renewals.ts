/** The teams pages' "renews on" / "lapsed on" of a team's products (core renewalView). */
import { renewalView, type ProductAttachmentStatus } from "@gatehouse/core";
import { toIsoOrNull } from "../shared.schema.ts";

export interface RenewalFacts {
  productId: string;
  name: string;
  status: ProductAttachmentStatus;
  createdAt: Date;
  renewalPeriodDays: number;
  lapsedAt: Date | null;
}

/** Active and lapsed products, active first, each with its renewal or lapse date. */
export function renewalsOf(products: readonly RenewalFacts[], lastPaymentAt: Date | null) {
  return products
    .filter(
      (p): p is RenewalFacts & { status: "ACTIVE" | "LAPSED" } =>
        p.status === "ACTIVE" || p.status === "LAPSED",
    )
    .map((p) => {
      const view = renewalView({
        status: p.status,
        attachedAt: p.createdAt,
        lastPaymentAt,
        renewalPeriodDays: p.renewalPeriodDays,
        lapsedAt: p.lapsedAt,
      });
      return {
        productId: p.productId,
        name: p.name,
        status: p.status,
        renewsOn: toIsoOrNull(view.renewsOn),
        lapsedOn: toIsoOrNull(view.lapsedOn),
      };
    })
    .sort((a, b) =>
      a.status !== b.status ? (a.status === "ACTIVE" ? -1 : 1) : a.name < b.name ? -1 : 1,
    );
}
