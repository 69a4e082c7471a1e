/**
 * Hands a key to a current member of its team (keys.transfer), typically a key whose
 * creator left: the key keeps its secret, its owner changes here and on the proxy, and
 * "owner left" is lifted.
 */
import { trpc } from "@/lib/trpc.ts";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { OptionSelect } from "@/components/option-select.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog.tsx";
import { Label } from "@/components/ui/label.tsx";
import { toastError } from "@/lib/errors.ts";
import type { ApiKey } from "../api/keys-queries.ts";
import type { TeamMember } from "../api/teams-queries.ts";

export function TransferKeyDialog({
  apiKey,
  members,
  onClose,
}: {
  /** The key to hand over; null: closed. */
  apiKey: ApiKey | null;
  members: TeamMember[];
  onClose: () => void;
}) {
  const [toUserId, setToUserId] = useState("");
  const transfer = useMutation(trpc.keys.transfer.mutationOptions());
  const close = () => {
    setToUserId("");
    onClose();
  };
  const options = members.map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }));
  return (
    <Dialog open={apiKey !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeading
          title="Transfer API key"
          description={
            apiKey ? (
              <p>
                Hand <strong className="font-mono">{apiKey.name}</strong> to a member of this team.
                It keeps its secret; requests with it work again unless it is blocked for another
                reason.
              </p>
            ) : null
          }
          block
        />
        <div className="grid gap-2">
          <Label htmlFor="transfer-to">New owner</Label>
          <OptionSelect
            id="transfer-to"
            options={options}
            placeholder="Choose a member"
            value={toUserId}
            onValueChange={setToUserId}
          />
        </div>
        <DialogFooter>
          <Button variant="outline" onClick={close} disabled={transfer.isPending}>
            Cancel
          </Button>
          <Button
            disabled={transfer.isPending || toUserId === "" || apiKey === null}
            onClick={() => {
              if (!apiKey) return;
              const to = members.find((m) => m.userId === toUserId);
              transfer.mutate(
                { keyId: apiKey.id, toUserId },
                {
                  onSuccess: () => {
                    toast.success(`Key ${apiKey.name} transferred to ${to?.email ?? "the member"}`);
                    close();
                  },
                  onError: toastError,
                },
              );
            }}
          >
            {transfer.isPending ? "Working…" : "Transfer key"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
