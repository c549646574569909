export { watchlistQueries } from "./api";
export { WatchlistPage } from "./components/watchlist-page";
