/** Login and logout: on either side of them the query cache belongs to someone else. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc } from "@/lib/trpc.ts";

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.login.mutationOptions({
      // The cache is replaced below, not refreshed.
      meta: { refresh: false },
      onSuccess: (me) => {
        // Whatever was cached belonged to the previous session (or nobody).
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.session.queryKey(), me);
      },
    }),
  );
}

export function useLogout() {
  return useMutation(trpc.auth.logout.mutationOptions({ meta: { refresh: false } }));
}

/** What the invitation link leads to, and what accepting it will ask. */
export const invitationPreviewQuery = (token: string) =>
  trpc.invitations.preview.queryOptions({ token }, { retry: false });

/**
 * Accepting an invitation: a new account with a password is signed in, as login does;
 * otherwise the person signs in the way the answer says.
 */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.invitations.accept.mutationOptions({
      meta: { refresh: false },
      onSuccess: (result) => {
        if (result.status !== "signedIn") return;
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.session.queryKey(), result.me);
      },
    }),
  );
}

export function useRequestPasswordReset() {
  return useMutation(trpc.auth.requestPasswordReset.mutationOptions({ meta: { refresh: false } }));
}

export function useResetPassword() {
  return useMutation(trpc.auth.resetPassword.mutationOptions({ meta: { refresh: false } }));
}

export function useChangePassword() {
  return useMutation(trpc.auth.changePassword.mutationOptions());
}
