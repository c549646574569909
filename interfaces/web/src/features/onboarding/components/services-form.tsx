import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";

import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useServices } from "@/hooks/use-services";
import { chooseServicesMutation } from "@/lib/api/@tanstack/react-query.gen";
import { errorMessage } from "@/lib/http-error";

import { guessRegion, REGIONS, regionName } from "../regions";
import { ServiceGrid } from "./service-grid";

type Props = { region: string | null; services: string[]; onSaved: () => void };

/** Step 1: the region; step 2: the services paid for there. */
export function ServicesForm({ region: savedRegion, services: savedServices, onSaved }: Props) {
  const regionId = useId();
  const [region, setRegion] = useState(savedRegion ?? guessRegion());
  const [chosen, setChosen] = useState<string[]>(savedServices);
  useEffect(() => setChosen(savedServices), [savedServices]);
  const catalogue = useServices(region);
  const streamable = (catalogue.data?.services ?? []).filter((s) => s.type !== "purchase");
  const queryClient = useQueryClient();
  const save = useMutation({
    ...chooseServicesMutation(),
    onSuccess: () => {
      void queryClient.invalidateQueries();
      onSaved();
    },
  });
  const toggle = (slug: string) => setChosen((now) => (now.includes(slug) ? now.filter((s) => s !== slug) : [...now, slug]));

  return (
    <form
      className="grid gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        const known = new Set(streamable.map((s) => s.service));
        save.mutate({ body: { region, services: chosen.filter((s) => known.has(s)) } });
      }}
    >
      <section className="grid gap-2">
        <h2 className="text-lg font-semibold">
          <label htmlFor={regionId}>1. Where do you watch?</label>
        </h2>
        <select
          id={regionId}
          value={region}
          onChange={(e) => setRegion(e.target.value)}
          className="h-10 w-full max-w-xs rounded-md border border-input bg-background px-3 text-base md:text-sm"
        >
          {REGIONS.map((code) => (
            <option key={code} value={code}>
              {regionName(code)}
            </option>
          ))}
        </select>
      </section>
      <section className="grid gap-3" aria-labelledby={`${regionId}-services`}>
        <h2 id={`${regionId}-services`} className="text-lg font-semibold">
          2. Which services do you pay for in {regionName(region)}?
        </h2>
        {catalogue.isPending ? (
          <div className="grid grid-cols-3 gap-3 sm:grid-cols-6" aria-hidden="true">
            {Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="h-28" />)}
          </div>
        ) : catalogue.isError ? (
          <Alert variant="destructive">
            <AlertDescription>Could not load the services: {errorMessage(catalogue.error)}</AlertDescription>
          </Alert>
        ) : streamable.length === 0 ? (
          <p className="text-muted-foreground">No streaming services are known in {regionName(region)} yet.</p>
        ) : (
          <ServiceGrid services={streamable} chosen={chosen} onToggle={toggle} />
        )}
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {chosen.length === 0 ? "None chosen yet: you can still see where everything streams." : `${chosen.length} chosen.`}
        </p>
      </section>
      {save.isError && (
        <Alert variant="destructive">
          <AlertDescription>{errorMessage(save.error)}</AlertDescription>
        </Alert>
      )}
      <div>
        <Button type="submit" size="lg" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save my services"}
        </Button>
      </div>
    </form>
  );
}
