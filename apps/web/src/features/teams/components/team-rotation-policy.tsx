/**
 * The team's key rotation policy (teams.update `rotateEveryDays`): the worker gives each key
 * a new secret that often and mails its owner and the team admins a link to reveal it once.
 * A product of the team may set a shorter policy; the shorter one applies.
 */
import { ROTATE_EVERY_DAYS_MAX, ROTATE_EVERY_DAYS_MIN } from "@gatehouse/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { TextField } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";
import type { TeamDetail } from "../api/teams-queries.ts";

export function TeamRotationPolicy({ team }: { team: TeamDetail }) {
  const queryClient = useQueryClient();
  const saved = team.rotateEveryDays === null ? "" : String(team.rotateEveryDays);
  const [days, setDays] = useState(saved);
  const [error, setError] = useState<string | undefined>();
  const update = useMutation(trpc.teams.update.mutationOptions());
  const save = () => {
    const value = days.trim() === "" ? null : Number(days);
    if (
      value !== null &&
      (!Number.isInteger(value) || value < ROTATE_EVERY_DAYS_MIN || value > ROTATE_EVERY_DAYS_MAX)
    ) {
      setError(`A whole number of days, ${ROTATE_EVERY_DAYS_MIN} to ${ROTATE_EVERY_DAYS_MAX}`);
      return;
    }
    update.mutate(
      { teamId: team.id, rotateEveryDays: value },
      {
        onSuccess: () => {
          toast.success(
            value === null ? "Scheduled rotation off" : `Keys rotate every ${value} days`,
          );
          void queryClient.invalidateQueries({ queryKey: trpc.teams.get.pathKey() });
        },
        onError: (e) =>
          setError(errorInfo(e).fieldErrors?.rotateEveryDays?.[0] ?? errorInfo(e).message),
      },
    );
  };
  return (
    <section aria-labelledby="rotation-heading" className="flex flex-col gap-2 border-t pt-4">
      <h3 id="rotation-heading" className="font-medium">
        Key rotation
      </h3>
      <form
        noValidate
        className="flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <TextField
          id="team-rotate-every-days"
          label="Rotate keys every (days)"
          hint="Empty: no scheduled rotation from the team (a product may still set one)."
          type="number"
          min={ROTATE_EVERY_DAYS_MIN}
          max={ROTATE_EVERY_DAYS_MAX}
          value={days}
          error={error}
          onChange={(e) => {
            setDays(e.target.value);
            setError(undefined);
          }}
        />
        <div>
          <Button
            type="submit"
            size="sm"
            variant="outline"
            disabled={days === saved || update.isPending}
          >
            Save rotation policy
          </Button>
        </div>
      </form>
    </section>
  );
}
