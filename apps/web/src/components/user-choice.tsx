/**
 * Choosing the person to add to a team or an organization. Those who may list users
 * (users.list: system admins, and org admins for their organizations' members) search by
 * name or email; anyone else who manages members types the person's email, which
 * `users.lookup` turns into the user on submit (an exact match: no directory browsing).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { z } from "zod";
import { Field, fieldAria } from "@/components/field.tsx";
import { SearchPicker } from "@/components/search-picker.tsx";
import { Input } from "@/components/ui/input.tsx";
import { errorInfo } from "@/lib/errors.ts";
import { trpc } from "@/lib/trpc.ts";
import { useDebouncedValue } from "@/lib/use-debounced-value.ts";

export const ZUserChoice = z.object({
  user: z.object({ id: z.string(), label: z.string() }).nullable(),
  email: z.string().trim(),
});
export type UserChoice = z.infer<typeof ZUserChoice>;
export const emptyUserChoice: UserChoice = { user: null, email: "" };

/** The choice a mode needs: a picked user when searching, an email otherwise. */
export function refineUserChoice(searching: boolean) {
  return (v: UserChoice, ctx: z.RefinementCtx) => {
    if (searching && !v.user)
      ctx.addIssue({ code: "custom", path: ["user"], message: "Choose a user" });
    if (!searching && !z.email().safeParse(v.email).success)
      ctx.addIssue({
        code: "custom",
        path: ["email"],
        message: "Enter the person's email address",
      });
  };
}

/** The chosen user's id and name, or null (with the reason on the email field) when unknown. */
export function useResolveUserChoice() {
  const queryClient = useQueryClient();
  return async (
    choice: UserChoice,
    onUnknown: (message: string) => void,
  ): Promise<{ id: string; label: string } | null> => {
    if (choice.user) return choice.user;
    const found = await queryClient.fetchQuery(
      trpc.users.lookup.queryOptions({ email: choice.email }, { staleTime: 0 }),
    );
    if (!found) onUnknown("No active user you can add has this email");
    return found ? { id: found.id, label: found.name } : null;
  };
}

interface ChoiceForm {
  user: UserChoice["user"];
  email: string;
}

export function UserChoiceField<T extends ChoiceForm>({
  id,
  searching,
  organizationId,
  memberIds,
  control,
  register,
  errors,
  enabled,
}: {
  id: string;
  searching: boolean;
  /** Search only this organization's members (what an org admin may list). */
  organizationId?: string | null;
  /** Already members: shown, not choosable. */
  memberIds?: ReadonlySet<string>;
  control: Control<T>;
  register: UseFormRegister<T>;
  errors: FieldErrors<ChoiceForm>;
  enabled: boolean;
}) {
  const [search, setSearch] = useState("");
  const debounced = useDebouncedValue(search.trim());
  const users = useQuery({
    ...trpc.users.list.queryOptions({
      page: 1,
      pageSize: 20,
      ...(organizationId ? { organizationId } : {}),
      ...(debounced ? { search: debounced } : {}),
    }),
    enabled: enabled && searching,
  });
  const items = (users.data?.items ?? []).map((u) => ({
    value: u.id,
    label: u.name,
    description: memberIds?.has(u.id) ? `${u.email} · already a member` : u.email,
    disabled: Boolean(memberIds?.has(u.id)) || !u.isActive,
  }));
  // The generic form's paths: `user` and `email` exist on every form this field serves.
  const c = control as unknown as Control<ChoiceForm>;
  const r = register as unknown as UseFormRegister<ChoiceForm>;

  if (!searching) {
    const error = errors.email?.message;
    return (
      <Field id={id} label="Email" hint="The person's email address." error={error}>
        <Input {...fieldAria(id, error, true)} type="email" autoComplete="off" {...r("email")} />
      </Field>
    );
  }
  const error = errors.user?.message;
  return (
    <Field id={id} label="User" error={error}>
      <Controller
        control={c}
        name="user"
        render={({ field }) => (
          <SearchPicker
            id={id}
            value={field.value?.id ?? null}
            selectedLabel={field.value?.label ?? null}
            onChange={(userId, item) => field.onChange({ id: userId, label: item.label })}
            items={items}
            search={search}
            onSearchChange={setSearch}
            isLoading={users.isLoading}
            error={users.error ? errorInfo(users.error).message : null}
            placeholder="Choose a user"
            searchPlaceholder="Name or email…"
            emptyText="No user matches."
            {...(error ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
          />
        )}
      />
    </Field>
  );
}
