import { useQuery } from "@tanstack/react-query";

import { aboutQueries } from "@/features/about/api";

const TMDB = "This product uses the TMDB API but is not endorsed or certified by TMDB.";
const AVAILABILITY = "Streaming availability data by Watchmode.";

/** TMDB's required notice with its logo, and the availability data's source. */
export function Attribution() {
  const { data } = useQuery(aboutQueries.about());
  return (
    <div className="flex flex-col items-center gap-2 text-center text-xs text-muted-foreground sm:flex-row sm:text-left">
      <a href="https://www.themoviedb.org/" className="shrink-0" aria-label="The Movie Database (TMDB)">
        <img src="/tmdb-logo.svg" alt="TMDB" width={72} height={12} className="h-3 w-auto" />
      </a>
      <p>
        {data?.attribution.tmdb ?? TMDB} {data?.attribution.availability ?? AVAILABILITY}
      </p>
    </div>
  );
}
