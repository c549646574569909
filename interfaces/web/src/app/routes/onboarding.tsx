import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";

import { ServicesForm } from "@/features/onboarding";
import { watchlistQueries } from "@/features/watchlist";

export function Component() {
  const navigate = useNavigate();
  const { data, isPending } = useQuery(watchlistQueries.all());
  return (
    <div className="grid gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Your region and services</h1>
        <p className="text-muted-foreground">Kairos shows where each film on your list streams for you, and tells you when one arrives.</p>
      </div>
      {isPending ? (
        <p role="status">Loading…</p>
      ) : (
        <ServicesForm region={data?.region ?? null} services={data?.services ?? []} onSaved={() => navigate("/watchlist")} />
      )}
    </div>
  );
}
