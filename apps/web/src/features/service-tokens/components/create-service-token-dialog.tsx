/**
 * Creates a service token and shows its secret exactly once: only the hash is stored, so
 * closing the dialog loses it for good. The form and the reveal are two states of one dialog.
 */
import { zodResolver } from "@hookform/resolvers/zod";
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
import { trpc } from "@/lib/trpc.ts";
import { useCreateServiceToken } from "../api/service-tokens-queries.ts";

const ZTokenForm = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(200),
    scope: z.enum(["admin", "organization"]),
    organizationId: z.string(),
  })
  .refine((v) => v.scope === "admin" || v.organizationId !== "", { path: ["organizationId"], message: "Choose an organization" });
type TokenForm = z.infer<typeof ZTokenForm>;

export function CreateServiceTokenDialog() {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useCreateServiceToken();
  const orgs = useQuery({ ...trpc.orgs.list.queryOptions({ page: 1, pageSize: 100 }), enabled: open });
  const form = useForm<TokenForm>({
    resolver: zodResolver(ZTokenForm),
    defaultValues: { name: "", scope: "organization", organizationId: "" },
  });
  const { errors } = form.formState;
  const scope = form.watch("scope");
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

  const onSubmit = form.handleSubmit((v) =>
    create.mutate(
      v.scope === "admin" ? { name: v.name, scope: "admin" } : { name: v.name, scope: "organization", organizationId: v.organizationId },
      { onSuccess: (created) => setSecret({ name: created.name, token: created.token }) },
    ),
  );

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button>New service token</Button>
      </DialogTrigger>
      <DialogContent
        // While the secret is on screen, a stray click outside must not throw it away.
        onInteractOutside={(e) => secret && e.preventDefault()}
      >
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy the token now</DialogTitle>
              <DialogDescription>
                This is the only time the secret of “{secret.name}” is shown. Gatehouse stores only its hash.
              </DialogDescription>
            </DialogHeader>
            <div className="flex items-center gap-2">
              <code
                className="min-w-0 flex-1 rounded-md border bg-muted p-2 font-mono text-xs break-all select-all"
                data-testid="service-token-secret"
              >
                {secret.token}
              </code>
              <Button
                variant="outline"
                size="icon"
                aria-label="Copy token"
                onClick={() => {
                  void navigator.clipboard?.writeText(secret.token).then(() => setCopied(true));
                }}
              >
                {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
              </Button>
            </div>
            <p className="text-xs text-muted-foreground">Callers send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.</p>
            <DialogFooter>
              <Button onClick={() => close(false)}>I have stored it</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>New service token</DialogTitle>
              <DialogDescription>For internal services calling the API. Admin scope can do everything a system administrator can.</DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
              <Field id="token-name" label="Name" error={errors.name?.message}>
                <Input {...fieldAria("token-name", errors.name?.message)} placeholder="e.g. billing-sync" {...form.register("name")} />
              </Field>
              <Field id="token-scope" label="Scope">
                <Controller
                  control={form.control}
                  name="scope"
                  render={({ field }) => (
                    <Select value={field.value} onValueChange={field.onChange}>
                      <SelectTrigger id="token-scope">
                        <SelectValue />
                      </SelectTrigger>
                      <SelectContent>
                        <SelectItem value="organization">One organization</SelectItem>
                        <SelectItem value="admin">Admin (everything)</SelectItem>
                      </SelectContent>
                    </Select>
                  )}
                />
              </Field>
              {scope === "organization" ? (
                <Field id="token-org" label="Organization" error={errors.organizationId?.message}>
                  <Controller
                    control={form.control}
                    name="organizationId"
                    render={({ field }) => (
                      <Select value={field.value} onValueChange={field.onChange}>
                        <SelectTrigger {...fieldAria("token-org", errors.organizationId?.message)}>
                          <SelectValue placeholder={orgs.isLoading ? "Loading…" : "Choose an organization"} />
                        </SelectTrigger>
                        <SelectContent>
                          {(orgs.data?.items ?? []).map((o) => (
                            <SelectItem key={o.id} value={o.id}>
                              {o.name}
                            </SelectItem>
                          ))}
                        </SelectContent>
                      </Select>
                    )}
                  />
                </Field>
              ) : null}
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
                  {create.isPending ? "Creating…" : "Create token"}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
