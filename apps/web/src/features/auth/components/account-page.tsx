/**
 * /account: the signed-in person's password, and which notification mails they get.
 * Changing the password needs the current one and ends every other session (this one stays).
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { ZPassword } from "@gatehouse/core";
import { TextField } from "@/components/field.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { SectionCard } from "@/components/section-card.tsx";
import { Button } from "@/components/ui/button.tsx";
import { CardContent } from "@/components/ui/card.tsx";
import { placeApiFieldErrors, registerField } from "@/lib/forms.ts";
import { errorInfo } from "@/lib/errors.ts";
import { useChangePassword } from "../api/auth-queries.ts";
import { AuthFailure } from "./auth-card.tsx";
import { EmailOptOuts } from "./email-opt-outs.tsx";

const ZChangeForm = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(256),
    newPassword: ZPassword,
    confirm: z.string(),
  })
  .refine((v) => v.newPassword === v.confirm, { path: ["confirm"], message: "Passwords differ" });
type ChangeForm = z.infer<typeof ZChangeForm>;

export function AccountPage(): React.JSX.Element {
  const change = useChangePassword();
  const form = useForm<ChangeForm>({
    resolver: zodResolver(ZChangeForm),
    defaultValues: { currentPassword: "", newPassword: "", confirm: "" },
  });
  return (
    <>
      <PageHeader title="Account" description="Your password and the mails you get." />
      <SectionCard id="change-password" title="Change password">
        <CardContent>
          <form
            noValidate
            className="flex max-w-sm flex-col gap-4"
            onSubmit={form.handleSubmit((values) =>
              change.mutate(
                { currentPassword: values.currentPassword, newPassword: values.newPassword },
                {
                  onSuccess: (result) => {
                    form.reset();
                    toast.success(
                      result.sessionsEnded > 0
                        ? `Password changed; ${result.sessionsEnded} other sessions ended`
                        : "Password changed",
                    );
                  },
                  onError: (error) =>
                    placeApiFieldErrors(form, errorInfo(error), (field) =>
                      field === "currentPassword" || field === "newPassword" ? field : null,
                    ),
                },
              ),
            )}
          >
            <TextField
              id="current-password"
              label="Current password"
              type="password"
              autoComplete="current-password"
              {...registerField(form, "currentPassword")}
            />
            <TextField
              id="new-password"
              label="New password"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters. Your other sessions end."
              {...registerField(form, "newPassword")}
            />
            <TextField
              id="confirm-password"
              label="Repeat the new password"
              type="password"
              autoComplete="new-password"
              {...registerField(form, "confirm")}
            />
            {change.error && !errorInfo(change.error).fieldErrors ? (
              <AuthFailure error={change.error} />
            ) : null}
            <div>
              <Button type="submit" disabled={change.isPending}>
                {change.isPending ? "Saving…" : "Change password"}
              </Button>
            </div>
          </form>
        </CardContent>
      </SectionCard>
      <EmailOptOuts />
    </>
  );
}
