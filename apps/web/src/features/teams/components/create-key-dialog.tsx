/**
 * Creates an API key on a region's LiteLLM proxy and shows the secret exactly once
 * (Gatehouse keeps only a prefix). The key name rule is core's, shared with the API.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { KEY_NAME_MAX, KEY_NAME_PATTERN } from "@gatehouse/core";
import { useQuery } from "@tanstack/react-query";
import { CheckIcon, CopyIcon } from "lucide-react";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { Field, fieldAria } from "@/components/field.tsx";
import { Button } from "@/components/ui/button.tsx";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { regionsQueryOptions, useCreateKey } from "../api/keys-queries.ts";

const ZKeyForm = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(KEY_NAME_MAX, `At most ${KEY_NAME_MAX} characters`)
    .regex(KEY_NAME_PATTERN, "Start with a letter or digit; letters, digits, space, _ . and - only"),
  regionId: z.string().min(1, "Choose a region"),
});
type KeyForm = z.infer<typeof ZKeyForm>;

export function CreateKeyDialog({ teamId }: { teamId: string }) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useCreateKey();
  const regions = useQuery({ ...regionsQueryOptions(), enabled: open });
  const active = (regions.data ?? []).filter((r) => r.isActive);
  const form = useForm<KeyForm>({ resolver: zodResolver(ZKeyForm), defaultValues: { name: "", regionId: "" } });
  const { errors } = form.formState;
  const failure = create.error ? errorInfo(create.error) : null;

  const close = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setSecret(null);
      setCopied(false);
      create.reset();
      form.reset();
    }
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button size="sm">New key</Button>
      </DialogTrigger>
      <DialogContent onInteractOutside={(e) => secret && e.preventDefault()}>
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy the key now</DialogTitle>
              <DialogDescription>This is the only time the secret of “{secret.name}” is shown.</DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2">
              <code className="min-w-0 flex-1 rounded-md border bg-muted p-2 font-mono text-xs break-all select-all" data-testid="key-secret">
                {secret.secret}
              </code>
              <Button
                variant="outline"
                size="icon"
                aria-label="Copy key"
                onClick={() => void navigator.clipboard?.writeText(secret.secret).then(() => setCopied(true))}
              >
                {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
              </Button>
            </div>
            <DialogFooter>
              <Button onClick={() => close(false)}>I have stored it</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>New API key</DialogTitle>
              <DialogDescription>The key is created on the region&apos;s LiteLLM proxy for this team.</DialogDescription>
            </DialogHeader>
            <form
              noValidate
              className="flex flex-col gap-4"
              onSubmit={form.handleSubmit((v) =>
                create.mutate({ teamId, name: v.name, regionId: v.regionId }, { onSuccess: (r) => setSecret({ name: r.key.name, secret: r.secret }) }),
              )}
            >
              <Field id="key-name" label="Name" hint="Unique within the team." error={errors.name?.message}>
                <Input {...fieldAria("key-name", errors.name?.message, true)} autoComplete="off" {...form.register("name")} />
              </Field>
              <Field id="key-region" label="Region" error={errors.regionId?.message}>
                <Controller
                  control={form.control}
                  name="regionId"
                  render={({ field }) => (
                    <Select value={field.value} onValueChange={field.onChange}>
                      <SelectTrigger {...fieldAria("key-region", errors.regionId?.message)}>
                        <SelectValue placeholder={regions.isLoading ? "Loading regions…" : active.length ? "Choose a region" : "No active region"} />
                      </SelectTrigger>
                      <SelectContent>
                        {active.map((r) => (
                          <SelectItem key={r.id} value={r.id}>
                            {r.name}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  )}
                />
              </Field>
              {failure ? (
                <p role="alert" className="text-sm text-destructive">
                  {failure.message}
                  {failure.requestId ? <span className="block text-xs text-muted-foreground">Request ID: {failure.requestId}</span> : null}
                </p>
              ) : null}
              <DialogFooter>
                <Button variant="outline" onClick={() => close(false)}>
                  Cancel
                </Button>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending ? "Creating…" : "Create key"}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
