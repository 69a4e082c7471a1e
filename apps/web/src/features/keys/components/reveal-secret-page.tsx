/**
 * The page a scheduled rotation's mail links to: reveals the key's new secret once
 * (keys.revealSecret), since the mail never carries it. After that the right is gone: a
 * second visit says so, and a new secret needs a rotation (keys.rotate).
 */
import { useMutation } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { CheckIcon, CopyIcon } from "lucide-react";
import { useState } from "react";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";

export function RevealSecretPage() {
  const { keyId } = useParams({ from: "/_authed/keys/$keyId/reveal" });
  const reveal = useMutation(trpc.keys.revealSecret.mutationOptions());
  const [copied, setCopied] = useState(false);
  const secret = reveal.data?.secret;
  return (
    <div className="max-w-2xl">
      <PageHeader
        title="Reveal a rotated key's secret"
        description="The key got a new secret under its team's rotation policy. It can be revealed once; its previous secret keeps working for a day."
      />
      {secret ? (
        <div className="grid gap-2">
          <p className="text-sm">Copy it now: this is the only time it is shown.</p>
          <div className="flex items-center gap-2">
            <code
              className="min-w-0 flex-1 rounded-md border bg-muted p-2 font-mono text-xs break-all select-all"
              data-testid="revealed-key-secret"
            >
              {secret}
            </code>
            <Button
              variant="outline"
              size="icon"
              aria-label="Copy new secret"
              onClick={() =>
                void navigator.clipboard?.writeText(secret).then(() => setCopied(true))
              }
            >
              {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            </Button>
          </div>
        </div>
      ) : (
        <div className="grid gap-3">
          {reveal.error ? (
            <p role="alert" className="text-sm text-destructive">
              {errorInfo(reveal.error).message}
            </p>
          ) : null}
          <div>
            <Button disabled={reveal.isPending} onClick={() => reveal.mutate({ keyId })}>
              {reveal.isPending ? "Revealing…" : "Reveal the new secret"}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
