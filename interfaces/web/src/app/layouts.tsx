import { useQuery, useQueryClient } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { Suspense } from "react";
import { Navigate, Outlet, useNavigate } from "react-router";

import { navFor } from "@/app/nav";
import { AppShell } from "@/components/layout/app-shell";
import { Button } from "@/components/ui/button";
import { Attribution, DemoBanner } from "@/features/about";
import { authQueries, ConfirmEmailBanner, RequireSession, useSessionStatus } from "@/features/auth";
import { signOut } from "@/lib/session";

export function PageLoading() {
  return (
    <p role="status" className="py-12 text-center text-muted-foreground">
      Loading…
    </p>
  );
}

/** Sign-in and sign-up: no navigation; a signed-in visitor goes straight to the app. */
export function PublicLayout() {
  const status = useSessionStatus();
  if (status === "signed-in") return <Navigate to="/watchlist" replace />;
  return (
    <AppShell nav={[]} banner={<DemoBanner />} footer={<Attribution />}>
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </AppShell>
  );
}

/** A page anyone with its link may open, signed in or not (a shared list). */
export function SharedLayout() {
  return (
    <AppShell nav={[]} banner={<DemoBanner />} footer={<Attribution />}>
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </AppShell>
  );
}

/** Every page of a signed-in person. */
export function MemberLayout() {
  return (
    <RequireSession>
      <SignedInShell />
    </RequireSession>
  );
}

function SignedInShell() {
  const { data: me } = useQuery(authQueries.me());
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const leave = async () => {
    await signOut();
    queryClient.clear();
    navigate("/sign-in", { replace: true });
  };
  return (
    <AppShell
      nav={navFor(me?.roles ?? ["member"])}
      banner={
        <>
          <DemoBanner />
          {me && !me.verified && <ConfirmEmailBanner email={me.email} />}
        </>
      }
      footer={<Attribution />}
      account={
        <>
          <span className="hidden max-w-40 truncate text-sm text-muted-foreground xl:inline">{me?.email}</span>
          <Button variant="ghost" size="sm" onClick={leave}>
            <LogOut aria-hidden="true" />
            <span className="sr-only sm:not-sr-only">Sign out</span>
          </Button>
        </>
      }
    >
      <Suspense fallback={<PageLoading />}>
        <Outlet />
      </Suspense>
    </AppShell>
  );
}
