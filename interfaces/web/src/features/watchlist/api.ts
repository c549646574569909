import { getWatchlistQueryKey, getWatchlistOptions } from "@/lib/api/@tanstack/react-query.gen";

/** Metadata still coming, or a known film whose first availability check is still due
 * (an id TMDB does not know is never checked: it must not keep the list polling). */
function stillEnriching(item: { metadata: string; availability_checked_at?: string | null }): boolean {
  return item.metadata === "pending" || (item.metadata === "ready" && !item.availability_checked_at);
}

/** Query options and keys of the watchlist feature. While titles still enrich (metadata or
 * availability pending) the list polls, so posters and badges appear by themselves. */
export const watchlistQueries = {
  key: () => getWatchlistQueryKey(),
  all: () => ({
    ...getWatchlistOptions(),
    staleTime: 0, // availability changes behind our back: always refresh on visit
    refetchInterval: (query: { state: { data?: { items: Parameters<typeof stillEnriching>[0][] } } }) =>
      query.state.data?.items.some(stillEnriching) ? 1500 : false,
  }),
};
