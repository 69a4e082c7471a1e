/**
 * The signed-in frame: header with role-aware navigation, the notification bell and the
 * account menu. At narrow widths the navigation becomes a horizontally scrolling row under
 * the header.
 */
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useNavigate } from "@tanstack/react-router";
import { ChevronDownIcon, KeyRoundIcon, LogOutIcon, MonitorSmartphoneIcon } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu.tsx";
import { useLogout } from "@/features/auth/api/auth-queries.ts";
import { NotificationBell } from "@/features/notifications/components/notification-bell.tsx";
import { can, useAccess, type Access } from "@/lib/access.ts";
import { errorSummary } from "@/lib/errors.ts";

interface NavItem {
  to:
    | "/teams"
    | "/organizations"
    | "/users"
    | "/products"
    | "/regions"
    | "/audit"
    | "/service-tokens"
    | "/outbox"
    | "/identity-providers"
    | "/webhooks"
    | "/sessions";
  label: string;
  show: (access: Access) => boolean;
}

const navItems: NavItem[] = [
  { to: "/teams", label: "Teams", show: () => true },
  { to: "/organizations", label: "Organizations", show: can.seeOrganizations },
  { to: "/users", label: "Users", show: can.manageUsers },
  { to: "/products", label: "Products", show: can.manageProducts },
  { to: "/regions", label: "Regions", show: can.manageRegions },
  { to: "/audit", label: "Audit log", show: can.seeAudit },
  { to: "/service-tokens", label: "Service tokens", show: can.manageServiceTokens },
  { to: "/outbox", label: "Outbox", show: can.readOutbox },
  { to: "/identity-providers", label: "Identity providers", show: can.seeIdentityProviders },
  { to: "/webhooks", label: "Webhooks", show: (a) => a.isAdmin },
  { to: "/sessions", label: "Sessions", show: () => true },
];

export function AppShell() {
  const access = useAccess();
  const items = navItems.filter((item) => item.show(access));
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-card/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-3 sm:px-6">
          <Link to="/teams" className="shrink-0 rounded font-semibold tracking-tight text-primary">
            Gatehouse
          </Link>
          {/* Scrolls rather than running under the account menu when an admin's many
              screens do not fit the header. */}
          <nav
            aria-label="Main"
            className="hidden min-w-0 flex-1 overflow-x-auto py-1 [scrollbar-width:thin] lg:block"
          >
            <NavLinks items={items} />
          </nav>
          <div className="ml-auto flex shrink-0 items-center gap-1">
            {access.userId ? <NotificationBell /> : null}
            <AccountMenu access={access} />
          </div>
        </div>
        <nav aria-label="Main" className="overflow-x-auto border-t px-2 lg:hidden">
          <NavLinks items={items} />
        </nav>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto w-full max-w-7xl flex-1 px-3 py-6 outline-none sm:px-6"
      >
        <Outlet />
      </main>
    </div>
  );
}

function NavLinks({ items }: { items: NavItem[] }) {
  return (
    <ul className="flex items-center gap-0.5 whitespace-nowrap">
      {items.map((item) => (
        <li key={item.to}>
          <Link
            to={item.to}
            className="inline-flex h-9 items-center rounded-md px-2.5 text-sm text-muted-foreground transition-colors hover:bg-accent hover:text-foreground"
            activeProps={{
              className: "bg-accent font-medium text-foreground",
              "aria-current": "page",
            }}
          >
            {item.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function AccountMenu({ access }: { access: Access }) {
  const logout = useLogout();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = () => {
    logout.mutate(undefined, {
      onSuccess: () => {
        void navigate({ to: "/login", replace: true }).then(() => queryClient.clear());
      },
      onError: (error) => {
        const { title, description } = errorSummary(error);
        toast.error(title, description ? { description } : undefined);
      },
    });
  };
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="max-w-56" aria-label="Account menu">
          <span className="truncate">{access.email ?? "Service token"}</span>
          {access.isAdmin ? (
            <span className="hidden rounded bg-primary/10 px-1.5 text-xs text-primary sm:inline">
              admin
            </span>
          ) : null}
          <ChevronDownIcon aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>
          {access.name ?? "Signed in"}
          {access.email ? <span className="block truncate">{access.email}</span> : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void navigate({ to: "/sessions" })}>
          <MonitorSmartphoneIcon aria-hidden="true" /> My sessions
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void navigate({ to: "/account" })}>
          <KeyRoundIcon aria-hidden="true" /> Change password
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={signOut} disabled={logout.isPending}>
          <LogOutIcon aria-hidden="true" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
