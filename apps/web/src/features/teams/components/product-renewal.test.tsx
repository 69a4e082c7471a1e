/** The renewal note beside a team's products, rendered from props (no network). */
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { formatDate } from "@/lib/format.ts";
import { RenewalNote } from "./product-renewal.tsx";

const renews = "2026-07-30T12:00:00.000Z";
const lapsed = "2026-06-01T08:00:00.000Z";

describe("RenewalNote", () => {
  it.each<[string, Parameters<typeof RenewalNote>[0], string]>([
    [
      "an active product: when it renews",
      { renewsOn: renews, lapsedOn: null },
      `renews on ${formatDate(renews)}`,
    ],
    [
      "a lapsed product: when it lapsed",
      { renewsOn: null, lapsedOn: lapsed },
      `lapsed on ${formatDate(lapsed)}`,
    ],
    [
      "a lapsed product on the team page: and what renews it",
      { renewsOn: null, lapsedOn: lapsed, lapsedHint: true },
      `lapsed on ${formatDate(lapsed)}; a payment renews it`,
    ],
    ["a cancelled product: nothing", { renewsOn: null, lapsedOn: null }, ""],
  ])("%s", (_name, props, text) => {
    const { container } = render(<RenewalNote {...props} />);
    expect(container.textContent).toBe(text);
  });
});
