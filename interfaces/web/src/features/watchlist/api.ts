import { getWatchlistQueryKey, getWatchlistOptions } from "@/lib/api/@tanstack/react-query.gen";

/** Query options and keys of the watchlist feature. While titles still enrich (metadata or
 * availability pending) the list polls, so posters and badges appear by themselves. */
export const watchlistQueries = {
  key: () => getWatchlistQueryKey(),
  all: () => ({
    ...getWatchlistOptions(),
    staleTime: 0, // availability changes behind our back: always refresh on visit
    refetchInterval: (query: { state: { data?: { items: { metadata: string; availability_checked_at?: string | null }[] } } }) =>
      query.state.data?.items.some((i) => i.metadata === "pending" || !i.availability_checked_at) ? 1500 : false,
  }),
};
