import { availabilityHistoryOptions, getTitleOptions, getWatchlistOptions, getWatchlistQueryKey } from "@/lib/api/@tanstack/react-query.gen";

export const titleQueries = {
  title: (tmdbId: number) => ({
    ...getTitleOptions({ path: { tmdb_id: tmdbId } }),
    refetchInterval: (q: { state: { data?: { metadata: string; availability_checked_at?: string | null } } }) =>
      q.state.data && (q.state.data.metadata === "pending" || !q.state.data.availability_checked_at) ? 1500 : false,
  }),
  history: (tmdbId: number) => availabilityHistoryOptions({ path: { tmdb_id: tmdbId } }),
  watchlist: () => getWatchlistOptions(),
  watchlistKey: () => getWatchlistQueryKey(),
};
