import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { useSessionStatus } from "@/features/auth/hooks/use-session";

export function RequireSession({ children }: { children: ReactNode }) {
  const status = useSessionStatus();
  const location = useLocation();
  if (status === "checking") {
    return (
      <p role="status" className="p-8 text-center text-muted-foreground">
        Loading…
      </p>
    );
  }
  if (status === "signed-out") {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  return children;
}
