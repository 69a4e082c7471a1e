/**
 * The merge dialog: pick target and source, a strategy for key
 * name conflicts and a rename suffix; the preview shows exactly what would happen; after
 * an explicit acknowledgement that the source team is deleted, merge, then follow the
 * per-key LiteLLM sync until it is DONE or FAILED. Lazy-loaded by the app layer.
 */
import { defaultRenameSuffix, ZMergeStrategy } from "@gatehouse/core";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ArrowLeftRightIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { ErrorState } from "@/components/error-state.tsx";
import { Field } from "@/components/field.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";
import { mergePreviewQueryOptions, useMergeStatus, useMergeTeams } from "../api/merge-queries.ts";
import type { MergeRequest, MergeResult, MergeStrategy } from "../api/merge-types.ts";
import { canConfirmMerge, MergeConfirm } from "./merge-confirm.tsx";
import { MergePreviewView } from "./merge-preview-view.tsx";
import { MergeProgressView } from "./merge-progress-view.tsx";
import { TeamPicker, type TeamRef } from "./team-picker.tsx";

const ZTeamRef = z.object({
  id: z.string(),
  name: z.string(),
  organizationName: z.string().nullable(),
});

/** Mirrors ZMergeInput.renameSuffix in apps/api/src/routers/teams/merge.schema.ts. */
export const ZRenameSuffix = z
  .string()
  .trim()
  .max(40, "At most 40 characters")
  .regex(/^[A-Za-z0-9 _.-]*$/, "Letters, digits, space, _ . and - only");

const ZMergeForm = z
  .object({
    target: ZTeamRef.nullable(),
    source: ZTeamRef.nullable(),
    strategy: ZMergeStrategy,
    renameSuffix: ZRenameSuffix,
    allowCrossOrganization: z.boolean(),
  })
  .refine((v) => v.target !== null, { path: ["target"], message: "Choose the team that stays" })
  .refine((v) => v.source !== null, { path: ["source"], message: "Choose the team to merge in" })
  .refine((v) => !v.target || !v.source || v.target.id !== v.source.id, {
    path: ["source"],
    message: "Choose two different teams",
  });
type MergeForm = z.infer<typeof ZMergeForm>;

const strategies: Array<{ value: MergeStrategy; label: string; help: string }> = [
  {
    value: "rename",
    label: "Rename",
    help: "Conflicting source keys get a suffix and keep working.",
  },
  {
    value: "delete",
    label: "Delete",
    help: "Conflicting source keys are deleted, in LiteLLM too.",
  },
  { value: "cancel", label: "Cancel", help: "If any key name conflicts, nothing is merged." },
];

/** The request the current form describes, or null while it is incomplete or invalid. */
function toRequest(values: Partial<MergeForm>): MergeRequest | null {
  const { target, source, strategy, renameSuffix = "", allowCrossOrganization = false } = values;
  if (!target || !source || !strategy || target.id === source.id) return null;
  if (!ZRenameSuffix.safeParse(renameSuffix).success) return null;
  const suffix = renameSuffix.trim();
  return {
    targetTeamId: target.id,
    sourceTeamId: source.id,
    strategy,
    allowCrossOrganization,
    ...(strategy === "rename" && suffix ? { renameSuffix: suffix } : {}),
  };
}

export function MergeTeamsDialog({
  open,
  onOpenChange,
  initialTarget = null,
  initialSource = null,
  onMerged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initialTarget?: TeamRef | null;
  initialSource?: TeamRef | null;
  onMerged?: (merge: { sourceTeamId: string; targetTeamId: string }) => void;
}) {
  const form = useForm<MergeForm>({
    resolver: zodResolver(ZMergeForm),
    mode: "onChange",
    defaultValues: {
      target: initialTarget,
      source: initialSource,
      strategy: "rename",
      renameSuffix: "",
      allowCrossOrganization: false,
    },
  });
  const values = useWatch({ control: form.control });
  const request = toRequest(values as Partial<MergeForm>);
  // One preview per pause in typing (the suffix), not per keystroke.
  const debouncedKey = useDebouncedValue(JSON.stringify(request), 300);
  const settled = debouncedKey === JSON.stringify(request);
  const previewRequest = request && settled ? request : null;
  const preview = useQuery(mergePreviewQueryOptions(open ? previewRequest : null));
  const merge = useMergeTeams();
  const [acknowledged, setAcknowledged] = useState(false);
  const [result, setResult] = useState<MergeResult | null>(null);
  const status = useMergeStatus(result?.mergeId ?? null);

  const previewData = previewRequest ? preview.data : undefined;
  const crossOrg = previewData?.crossOrganization ?? false;
  const canConfirm = canConfirmMerge({
    preview: previewData,
    previewIsCurrent: settled && !preview.isFetching,
    acknowledged,
    busy: merge.isPending,
  });

  const onSubmit = form.handleSubmit(() => {
    if (!request || !canConfirm) return;
    merge.mutate(request, {
      onSuccess: (merged) => {
        setResult(merged);
        onMerged?.({ sourceTeamId: request.sourceTeamId, targetTeamId: request.targetTeamId });
      },
    });
  });

  const { errors } = form.formState;
  const strategy = values.strategy ?? "rename";
  const targetId = values.target?.id ?? null;
  const sourceId = values.source?.id ?? null;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-3xl">
        <DialogHeading
          title="Merge teams"
          description={
            result
              ? "The merge is committed. LiteLLM proxies are updated in the background; you can close this dialog."
              : "Move every member and key of the source team into the target team, then delete the source team."
          }
        />

        {result ? (
          <>
            <MergeProgressView
              result={result}
              status={status.data}
              isLoading={status.isPending}
              error={status.error}
            />
            <DialogFooter>
              {targetId ? (
                <Link
                  to="/teams/$teamId"
                  params={{ teamId: targetId }}
                  className={buttonVariants({ variant: "outline" })}
                  onClick={() => onOpenChange(false)}
                >
                  Open {values.target?.name ?? "the target team"}
                </Link>
              ) : null}
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate className="flex flex-col gap-5">
            <div className="grid items-end gap-3 sm:grid-cols-[1fr_auto_1fr]">
              <Field id="merge-target" label="Target team (stays)" error={errors.target?.message}>
                <Controller
                  control={form.control}
                  name="target"
                  render={({ field }) => (
                    <TeamPicker
                      id="merge-target"
                      value={field.value}
                      onChange={(team) => {
                        field.onChange(team);
                        setAcknowledged(false);
                      }}
                      excludeId={sourceId}
                      placeholder="Choose the target team"
                      invalid={Boolean(errors.target)}
                      describedBy={errors.target ? "merge-target-error" : undefined}
                    />
                  )}
                />
              </Field>
              <Button
                variant="ghost"
                size="icon"
                aria-label="Swap source and target"
                className="justify-self-center"
                onClick={() => {
                  const { target, source } = form.getValues();
                  form.setValue("target", source, { shouldValidate: true });
                  form.setValue("source", target, { shouldValidate: true });
                  setAcknowledged(false);
                }}
              >
                <ArrowLeftRightIcon aria-hidden="true" />
              </Button>
              <Field
                id="merge-source"
                label="Source team (merged in, then deleted)"
                error={errors.source?.message}
              >
                <Controller
                  control={form.control}
                  name="source"
                  render={({ field }) => (
                    <TeamPicker
                      id="merge-source"
                      value={field.value}
                      onChange={(team) => {
                        field.onChange(team);
                        setAcknowledged(false);
                      }}
                      excludeId={targetId}
                      placeholder="Choose the source team"
                      invalid={Boolean(errors.source)}
                      describedBy={errors.source ? "merge-source-error" : undefined}
                    />
                  )}
                />
              </Field>
            </div>

            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium">
                When a key name exists in both teams
              </legend>
              <div className="grid gap-2 sm:grid-cols-3">
                {strategies.map((s) => (
                  <label
                    key={s.value}
                    className="flex cursor-pointer gap-2 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
                  >
                    <input
                      type="radio"
                      value={s.value}
                      className="mt-0.5 accent-[var(--color-primary)]"
                      {...form.register("strategy")}
                    />
                    <span>
                      <span className="font-medium">{s.label}</span>
                      <span className="block text-xs text-muted-foreground">{s.help}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>

            {strategy === "rename" ? (
              <Field
                id="merge-suffix"
                label="Suffix for renamed keys"
                hint="Appended to the conflicting key's name as typed, so include a separator. By default it names the source team; a name that still collides gets a counter."
                error={errors.renameSuffix?.message}
              >
                <Input
                  id="merge-suffix"
                  placeholder={
                    values.source?.name && values.source.id
                      ? defaultRenameSuffix(values.source.name, values.source.id)
                      : "_from_<source team>"
                  }
                  aria-invalid={errors.renameSuffix ? true : undefined}
                  aria-describedby={
                    errors.renameSuffix ? "merge-suffix-error" : "merge-suffix-hint"
                  }
                  {...form.register("renameSuffix")}
                />
              </Field>
            ) : null}

            {crossOrg || values.allowCrossOrganization ? (
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-0.5 accent-[var(--color-primary)]"
                  {...form.register("allowCrossOrganization")}
                />
                <span>
                  Allow merging across organizations
                  <span className="block text-xs text-muted-foreground">
                    The teams belong to different organizations; the source team&apos;s members join
                    the target&apos;s organization&apos;s team.
                  </span>
                </span>
              </label>
            ) : null}

            <MergePreviewView
              preview={previewData}
              isLoading={request !== null && (!settled || preview.isFetching) && !previewData}
              error={previewRequest ? preview.error : null}
            />

            {merge.error ? <ErrorState error={merge.error} title="The merge was refused" /> : null}

            <MergeConfirm
              preview={previewData}
              previewIsCurrent={settled && !preview.isFetching}
              acknowledged={acknowledged}
              onAcknowledgedChange={setAcknowledged}
              busy={merge.isPending}
              onCancel={() => onOpenChange(false)}
            />
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
