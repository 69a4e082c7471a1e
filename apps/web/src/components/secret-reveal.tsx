/**
 * A secret shown exactly once (an API key, a service token): Gatehouse keeps only a hash
 * or a prefix, so closing this loses it for good. Copy button, then "I have stored it".
 */
import { CheckIcon, CopyIcon } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button.tsx";
import { DialogHeading } from "@/components/dialog-heading.tsx";
import { DialogFooter } from "@/components/ui/dialog.tsx";

export function SecretReveal({
  title,
  description,
  secret,
  copyLabel,
  testId,
  footnote,
  onDone,
}: {
  title: string;
  description: ReactNode;
  secret: string;
  copyLabel: string;
  testId: string;
  footnote?: ReactNode;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <DialogHeading title={title} description={description} />
      <div className="flex items-center gap-2">
        <code
          className="min-w-0 flex-1 rounded-md border bg-muted p-2 font-mono text-xs break-all select-all"
          data-testid={testId}
        >
          {secret}
        </code>
        <Button
          variant="outline"
          size="icon"
          aria-label={copyLabel}
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true))}
        >
          {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
        </Button>
      </div>
      {footnote ? <p className="text-xs text-muted-foreground">{footnote}</p> : null}
      <DialogFooter>
        <Button onClick={onDone}>I have stored it</Button>
      </DialogFooter>
    </>
  );
}
