/**
 * The team page's entitlement panel and blocked banner, rendered from props (no network):
 * limits in force and the product each comes from, the default, the per-region budget note,
 * and why a team is blocked (manual with its note, expired, both).
 */
import { render, screen, within } from "@testing-library/react";
import { effectiveEntitlement, UNLIMITED, type TProductLimits } from "@gatehouse/core";
import { describe, expect, it } from "vitest";
import { EntitlementPanel } from "./entitlement-panel.tsx";
import { TeamBlockedBanner } from "./team-block.tsx";

const pro = {
  id: "11111111-1111-4111-8111-111111111111",
  name: "Pro plan",
  limits: {
    ...UNLIMITED,
    maxKeys: 50,
    maxBudgetUsd: 250,
    budgetDuration: "30d",
    rpmLimit: 600,
    models: ["gpt-4o"],
  },
};
const addon = {
  id: "22222222-2222-4222-8222-222222222222",
  name: "Fast add-on",
  limits: {
    ...UNLIMITED,
    maxKeys: 5,
    maxBudgetUsd: 100,
    budgetDuration: "7d",
    rpmLimit: 6000,
    tpmLimit: 100_000,
    models: ["claude"],
  },
};
const trial: TProductLimits = { ...UNLIMITED, maxKeys: 2, maxBudgetUsd: 5, budgetDuration: "1mo" };

function row(label: string) {
  const term = within(screen.getByTestId("entitlement")).getByText(label, { selector: "dt" });
  return term.parentElement!;
}

describe("entitlement panel", () => {
  it("shows each limit in force and the product it comes from", () => {
    render(
      <EntitlementPanel entitlement={effectiveEntitlement([pro, addon], trial)} keysCount={3} />,
    );

    expect(row("Max keys")).toHaveTextContent("50 (3 in use)");
    expect(within(row("Max keys")).getByText("Pro plan")).toBeInTheDocument();
    expect(row("Budget")).toHaveTextContent("$250.00 per 30 days"); // with its own reset period, not the add-on's 7d
    expect(within(row("Budget")).getByText("Pro plan")).toBeInTheDocument();
    expect(row("Requests per minute")).toHaveTextContent("6,000");
    expect(within(row("Requests per minute")).getByText("Fast add-on")).toBeInTheDocument();
    expect(row("Tokens per minute")).toHaveTextContent("Unlimited"); // Pro sets none: unlimited beats 100,000
    expect(within(row("Tokens per minute")).getByText("Pro plan")).toBeInTheDocument();
    expect(row("Models")).toHaveTextContent("claude, gpt-4o");
    expect(screen.getByText(/most generous limit/i)).toBeInTheDocument();
    expect(
      screen.getByText(/each region's LiteLLM team gets the full budget/i),
    ).toBeInTheDocument();
  });

  it("shows the default limits for a team without an active product", () => {
    render(<EntitlementPanel entitlement={effectiveEntitlement([], trial)} keysCount={0} />);

    expect(screen.getByText(/no active product: the default limits apply/i)).toBeInTheDocument();
    expect(within(screen.getByTestId("entitlement")).getAllByText("default")).toHaveLength(5);
    expect(row("Max keys")).toHaveTextContent("2 (0 in use)");
    expect(row("Budget")).toHaveTextContent("$5.00 per 1 month");
    expect(row("Requests per minute")).toHaveTextContent("Unlimited");
    expect(row("Models")).toHaveTextContent("All models");
  });

  it("says nothing about a per-region budget when there is no budget", () => {
    render(<EntitlementPanel entitlement={effectiveEntitlement([], UNLIMITED)} keysCount={0} />);
    expect(row("Budget")).toHaveTextContent("Unlimited");
    expect(screen.queryByText(/full budget/i)).not.toBeInTheDocument();
  });
});

describe("blocked banner", () => {
  it("is absent for a team that is not blocked", () => {
    render(<TeamBlockedBanner blockReasons={[]} />);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says a team was blocked by hand, with the note", () => {
    render(
      <TeamBlockedBanner
        blockReasons={[
          {
            reason: "manual",
            note: "unpaid invoice",
            since: "2026-11-20T10:00:00.000Z",
            level: null,
            placedBy: null,
          },
        ]}
      />,
    );
    const banner = screen.getByRole("alert");
    expect(banner).toHaveTextContent(/this team is blocked/i);
    expect(banner).toHaveTextContent(/blocked by an administrator since .*2026.*“unpaid invoice”/i);
    expect(banner).not.toHaveTextContent(/every reason/i);
  });

  it("lists both reasons when a team is blocked by hand and expired", () => {
    render(
      <TeamBlockedBanner
        blockReasons={[
          {
            reason: "manual",
            note: null,
            since: "2026-11-20T10:00:00.000Z",
            level: "organization",
            placedBy: "Olga",
          },
          {
            reason: "expired",
            note: null,
            since: "2026-11-01T00:00:00.000Z",
            level: null,
            placedBy: null,
          },
        ]}
      />,
    );
    const items = within(screen.getByRole("alert")).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent(
      /blocked by Olga \(organization admin\) since .*no reason given/i,
    );
    expect(items[1]).toHaveTextContent(/expired.*record a payment or attach an active product/i);
    expect(screen.getByRole("alert")).toHaveTextContent(/every reason is lifted/i);
  });
});
