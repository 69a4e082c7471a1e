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
