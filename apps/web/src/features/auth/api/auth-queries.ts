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

/** Accepting an invitation signs the person in, as login does. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.invitations.accept.mutationOptions({
      meta: { refresh: false },
      onSuccess: (me) => {
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.session.queryKey(), me);
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
