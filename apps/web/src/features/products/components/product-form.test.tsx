/**
 * The product limits form, rendered without network: what it sends (typed limits, null for
 * an empty box, models as a list), its own validation, and the API's field errors
 * (`data.fieldErrors` keyed "limits.maxKeys", "limits.models.1", …) shown on the inputs.
 */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { TRPCClientError } from "@trpc/client";
import { describe, expect, it, vi } from "vitest";
import { formFieldOf, parseModels, ProductForm, type ProductFormOutput } from "./product-form.tsx";

function apiError(
  fieldErrors: Record<string, string[]> | null,
  details: Record<string, unknown> | null = null,
  code = "BAD_REQUEST",
) {
  const message = fieldErrors ? "Invalid input" : "Refused";
  return new TRPCClientError(message, {
    result: {
      error: {
        message,
        code: -32600,
        data: { code, httpStatus: 400, requestId: "req-limits1", fieldErrors, details },
      },
    },
  });
}

const limits = {
  maxKeys: 2,
  maxBudgetUsd: 100,
  budgetDuration: "30d",
  rpmLimit: 60,
  tpmLimit: null,
  models: ["gpt-4o", "claude"],
};

/** The edit form of a product "Pro" with the limits above. */
function renderEditForm(
  onSubmit: (input: ProductFormOutput) => Promise<unknown>,
  lockRenewal = false,
) {
  render(
    <ProductForm
      initial={{ name: "Pro", renewalPeriodDays: 30, isActive: true, limits }}
      lockRenewal={lockRenewal}
      submitLabel="Save product"
      onSubmit={onSubmit}
    />,
  );
}

describe("product limits form", () => {
  it("sends typed limits: numbers, null for empty boxes, models as a list", async () => {
    const user = userEvent.setup();
    const onSubmit = vi
      .fn<(input: ProductFormOutput) => Promise<unknown>>()
      .mockResolvedValue(undefined);
    render(<ProductForm submitLabel="Create product" onSubmit={onSubmit} />);

    await user.type(screen.getByLabelText("Name"), "Team plan");
    await user.type(screen.getByLabelText("Max keys"), "2");
    await user.type(screen.getByLabelText("Max budget (USD)"), "12.5");
    await user.type(screen.getByLabelText("Budget resets every"), "1mo");
    await user.type(screen.getByLabelText("Allowed models"), "gpt-4o, claude ,gpt-4o");
    expect(screen.getByRole("list", { name: "Models" })).toHaveTextContent("gpt-4oclaude");
    await user.click(screen.getByRole("button", { name: "Create product" }));

    expect(onSubmit).toHaveBeenCalledWith({
      name: "Team plan",
      renewalPeriodDays: 30,
      isActive: true,
      limits: {
        maxKeys: 2,
        maxBudgetUsd: 12.5,
        budgetDuration: "1mo",
        rpmLimit: null,
        tpmLimit: null,
        models: ["gpt-4o", "claude"],
        rotateEveryDays: null,
      },
    });
  });

  it("refuses bad values before sending", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    render(<ProductForm submitLabel="Create product" onSubmit={onSubmit} />);
    await user.type(screen.getByLabelText("Name"), "Bad");
    await user.type(screen.getByLabelText("Max keys"), "1.5");
    await user.type(screen.getByLabelText("Max budget (USD)"), "10");
    await user.type(screen.getByLabelText("Budget resets every"), "30 days");
    await user.click(screen.getByRole("button", { name: "Create product" }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Max keys")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Max keys")).toHaveAccessibleDescription(/whole number/i);
    expect(screen.getByLabelText("Budget resets every")).toHaveAccessibleDescription(/30d, 1mo/);
  });

  it("shows the API's field errors on the matching inputs", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn().mockRejectedValue(
      apiError({
        "limits.maxKeys": ["Too big: expected number to be <=1000000"],
        "limits.models.1": ["Too long"],
      }),
    );
    renderEditForm(onSubmit);
    await user.click(screen.getByRole("button", { name: "Save product" }));

    expect(await screen.findByText("Too big: expected number to be <=1000000")).toBeInTheDocument();
    expect(screen.getByLabelText("Max keys")).toHaveAccessibleDescription(
      "Too big: expected number to be <=1000000",
    );
    expect(screen.getByLabelText("Allowed models")).toHaveAccessibleDescription("Too long");
    // Everything had a field: no catch-all alert beyond the two field messages.
    expect(screen.getAllByRole("alert")).toHaveLength(2);
  });

  it("puts a taken name on the name field, and errors with no field in one alert", async () => {
    const user = userEvent.setup();
    const onSubmit = vi
      .fn()
      .mockRejectedValueOnce(apiError(null, { field: "name" }, "CONFLICT"))
      .mockRejectedValueOnce(apiError({ _: ["LiteLLM refused the limits"] }));
    renderEditForm(onSubmit);

    await user.click(screen.getByRole("button", { name: "Save product" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Refused");
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");

    await user.click(screen.getByRole("button", { name: "Save product" }));
    expect(await screen.findByText(/Request ID: req-limits1/)).toBeInTheDocument();
  });

  it("starts from the product's limits on edit; clearing a box sends null (no limit)", async () => {
    const user = userEvent.setup();
    const onSubmit = vi
      .fn<(input: ProductFormOutput) => Promise<unknown>>()
      .mockResolvedValue(undefined);
    renderEditForm(onSubmit, true);
    expect(screen.getByLabelText("Max budget (USD)")).toHaveValue("100");
    expect(screen.getByLabelText("Allowed models")).toHaveValue("gpt-4o, claude");
    expect(screen.getByLabelText("Renewal period (days)")).toHaveAttribute("readonly");

    await user.clear(screen.getByLabelText("Requests per minute"));
    await user.clear(screen.getByLabelText("Allowed models"));
    await user.click(screen.getByRole("button", { name: "Save product" }));
    expect(onSubmit.mock.calls[0]![0].limits).toEqual({
      ...limits,
      rpmLimit: null,
      models: [],
      rotateEveryDays: null,
    });
  });
});

describe("form helpers", () => {
  it.each([
    ["limits.maxKeys", "maxKeys"],
    ["limits.models.3", "models"],
    ["limits.budgetDuration", "budgetDuration"],
    ["name", "name"],
    ["limits", null],
    ["_", null],
    ["productId", null],
  ])("API field %s -> form field %s", (api, field) => {
    expect(formFieldOf(api)).toBe(field);
  });

  it("parses a comma or newline separated model list, dropping blanks and repeats", () => {
    expect(parseModels(" a, b\nc,,a ")).toEqual(["a", "b", "c"]);
    expect(parseModels("")).toEqual([]);
  });
});
