import { useQuery } from "@tanstack/react-query";

import { aboutQueries } from "@/features/about";
import { WatchlistPage } from "@/features/watchlist";

export function Component() {
  const { data } = useQuery(aboutQueries.about());
  return <WatchlistPage demoSearches={data?.demo_searches} />;
}
