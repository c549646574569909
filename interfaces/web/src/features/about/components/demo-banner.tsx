import { useQuery } from "@tanstack/react-query";
import { FlaskConical } from "lucide-react";

import { aboutQueries } from "@/features/about/api";

/** Says so when the catalogue, availability and suggestions are local stand-ins. */
export function DemoBanner() {
  const { data } = useQuery(aboutQueries.about());
  if (!data?.demo_data) return null;
  return (
    <div role="note" aria-label="Demo data" className="border-b bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-950 sm:py-2 sm:text-sm dark:bg-amber-950 dark:text-amber-100">
      <FlaskConical aria-hidden="true" className="mr-1.5 inline size-4 align-[-3px]" />
      Demo data<span className="hidden sm:inline">: films, availability and suggestions come from a local stand-in catalogue</span>. Try{" "}
      {data.demo_searches.slice(0, 3).map((q, i) => (
        <span key={q}>
          {i > 0 && (i === 2 ? " or " : ", ")}
          <q>{q}</q>
        </span>
      ))}
      .
    </div>
  );
}
