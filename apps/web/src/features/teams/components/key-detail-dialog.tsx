/**
 * One key in detail (keys.get): the limits it runs under and where each comes from (its
 * own, a product's key default, or its team's entitlement), its spend in the current budget
 * period, its expiry and blocks. Whoever manages the team's keys extends its expiry
 * (keys.extend, which lifts an expiry block) and edits its limits (keys.update).
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { ErrorState } from "@/components/error-state.tsx";
import { TextField } from "@/components/field.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent } from "@/components/ui/dialog.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { keyDetailQueryOptions, type ApiKey, type KeyDetail } from "../api/keys-queries.ts";

const fieldLabels: Record<KeyDetail["limitsInForce"][number]["field"], string> = {
  maxBudgetUsd: "Budget",
  budgetDuration: "Budget period",
  rpmLimit: "Requests / minute",
  tpmLimit: "Tokens / minute",
  models: "Models",
};

const reasonLabels: Record<KeyDetail["blockReasons"][number], string> = {
  manual: "Blocked by hand",
  owner_disabled: "Creator disabled",
  owner_left: "Owner left",
  key_expired: "Expired",
};

function valueText(l: KeyDetail["limitsInForce"][number]): string {
  if (l.value === null || (Array.isArray(l.value) && l.value.length === 0))
    return l.field === "models" ? "All" : "None";
  if (Array.isArray(l.value)) return l.value.join(", ");
  if (l.field === "maxBudgetUsd") return `$${l.value}`;
  return String(l.value);
}

function sourceText(source: KeyDetail["limitsInForce"][number]["source"]): string {
  if (!source) return "—";
  if (source.kind === "key") return "This key";
  if (source.kind === "product") return `Key default of product ${source.productName}`;
  return `Team (${source.from})`;
}

const day = (iso: string) => iso.slice(0, 10);

export function KeyDetailDialog({
  apiKey,
  canManage,
  onClose,
}: {
  apiKey: Pick<ApiKey, "id" | "name"> | null;
  canManage: boolean;
  onClose: () => void;
}) {
  const open = apiKey !== null;
  const detail = useQuery({ ...keyDetailQueryOptions(apiKey?.id ?? ""), enabled: open });
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
  const extend = useMutation(trpc.keys.extend.mutationOptions());
  const update = useMutation(trpc.keys.update.mutationOptions());
  const [until, setUntil] = useState("");
  const [budget, setBudget] = useState("");
  const [rpm, setRpm] = useState("");
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    setUntil("");
    setBudget("");
    setRpm("");
    setFailure(null);
    onClose();
  };
  const onError = (error: unknown) => setFailure(errorInfo(error).message);
  const k = detail.data;

  return (
    <Dialog open={open} onOpenChange={(o) => !o && close()}>
      <DialogContent>
        <DialogHeading
          title="Key details"
          description={
            apiKey ? (
              <p>
                <strong className="font-mono">{apiKey.name}</strong>
              </p>
            ) : null
          }
        />
        {detail.error ? (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        ) : !k ? (
          <p className="text-sm text-muted-foreground">Loading…</p>
        ) : (
          <div className="flex flex-col gap-4 text-sm">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted-foreground">Expires</dt>
              <dd data-testid="key-expires">{k.expiresAt ? day(k.expiresAt) : "Never"}</dd>
              <dt className="text-muted-foreground">Access</dt>
              <dd className="flex flex-wrap gap-1">
                {k.blockReasons.length > 0 ? (
                  k.blockReasons.map((r) => (
                    <Badge key={r} variant="destructive">
                      {reasonLabels[r]}
                    </Badge>
                  ))
                ) : (
                  <Badge variant="success">Allowed</Badge>
                )}
              </dd>
              <dt className="text-muted-foreground">Spend this period</dt>
              <dd data-testid="key-spend">
                {k.budget.spendUsd === null ? "Not read yet" : `$${k.budget.spendUsd}`}
                {k.budget.maxBudgetUsd !== null
                  ? ` of $${k.budget.maxBudgetUsd}${k.budget.budgetDuration ? ` per ${k.budget.budgetDuration}` : ""}`
                  : ""}
              </dd>
              {k.maxLifetimeDays !== null ? (
                <>
                  <dt className="text-muted-foreground">Longest lifetime</dt>
                  <dd>
                    {k.maxLifetimeDays} days ({k.maxLifetimeFrom})
                  </dd>
                </>
              ) : null}
            </dl>
            <table className="w-full text-left">
              <caption className="sr-only">Limits in force</caption>
              <thead>
                <tr className="text-muted-foreground">
                  <th className="font-normal">Limit</th>
                  <th className="font-normal">Value</th>
                  <th className="font-normal">From</th>
                </tr>
              </thead>
              <tbody>
                {k.limitsInForce.map((l) => (
                  <tr key={l.field} data-testid={`limit-${l.field}`}>
                    <td>{fieldLabels[l.field]}</td>
                    <td>{valueText(l)}</td>
                    <td className="text-muted-foreground">{sourceText(l.source)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {canManage ? (
              <>
                <form
                  noValidate
                  className="flex items-end gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (!until) return;
                    setFailure(null);
                    extend.mutate(
                      { keyId: k.id, expiresAt: `${until}T23:59:59.000Z` },
                      {
                        onSuccess: () => {
                          toast.success(`Key ${k.name} extended`);
                          refresh();
                        },
                        onError,
                      },
                    );
                  }}
                >
                  <TextField
                    id="key-extend-until"
                    label="New expiry"
                    type="date"
                    value={until}
                    onChange={(e) => setUntil(e.target.value)}
                  />
                  <Button type="submit" size="sm" disabled={!until || extend.isPending}>
                    Extend
                  </Button>
                </form>
                <form
                  noValidate
                  className="flex items-end gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    setFailure(null);
                    const limits = {
                      ...(budget.trim() !== "" ? { maxBudgetUsd: Number(budget) } : {}),
                      ...(rpm.trim() !== "" ? { rpmLimit: Number(rpm) } : {}),
                    };
                    if (Object.keys(limits).length === 0) return;
                    update.mutate(
                      { keyId: k.id, limits },
                      {
                        onSuccess: () => {
                          toast.success(`Limits of ${k.name} saved`);
                          setBudget("");
                          setRpm("");
                          refresh();
                        },
                        onError,
                      },
                    );
                  }}
                >
                  <TextField
                    id="key-edit-budget"
                    label="Budget (USD)"
                    inputMode="decimal"
                    value={budget}
                    onChange={(e) => setBudget(e.target.value)}
                  />
                  <TextField
                    id="key-edit-rpm"
                    label="Requests / minute"
                    inputMode="numeric"
                    value={rpm}
                    onChange={(e) => setRpm(e.target.value)}
                  />
                  <Button type="submit" size="sm" disabled={update.isPending}>
                    Save limits
                  </Button>
                </form>
              </>
            ) : null}
            {failure ? (
              <p role="alert" className="text-destructive">
                {failure}
              </p>
            ) : null}
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
