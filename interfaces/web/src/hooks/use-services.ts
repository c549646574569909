import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import type { ServiceOut } from "@/lib/api";
import { listServicesOptions } from "@/lib/api/@tanstack/react-query.gen";

/** The streaming services known in a region (names and logos), cached for the session. */
export function useServices(region: string | null | undefined) {
  const query = useQuery({
    ...listServicesOptions({ query: { region: region ?? undefined } }),
    enabled: !!region,
    staleTime: 60 * 60 * 1000,
  });
  const services = query.data?.services;
  const bySlug = useMemo(() => new Map<string, ServiceOut>((services ?? []).map((s) => [s.service, s])), [services]);
  return { ...query, bySlug };
}

export function serviceName(slug: string, bySlug: Map<string, ServiceOut>): string {
  return bySlug.get(slug)?.name ?? slug;
}
