/** Entry: providers, the router, and the 401 handler that sends an expired session to login. */
import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { router } from "@/app/router.tsx";
import { Toaster } from "@/components/ui/sonner.tsx";
import { TooltipProvider } from "@/components/ui/tooltip.tsx";
import { onUnauthorized } from "@/lib/session-expiry.ts";
import { queryClient } from "@/lib/trpc.ts";
import "./styles.css";

onUnauthorized(() => {
  const { location } = router.state;
  if (location.pathname === "/login") return;
  // The cache stays until the next login clears it: clearing now would make the screens
  // still mounted refetch (and 401) on their way out.
  void router.navigate({ to: "/login", search: { redirect: location.href }, replace: true });
});

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TooltipProvider delayDuration={300}>
        <RouterProvider router={router} />
        <Toaster />
      </TooltipProvider>
    </QueryClientProvider>
  </StrictMode>,
);
