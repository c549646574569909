import { Link } from "react-router";

export function Component() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="mb-2 text-2xl font-semibold">Page not found</h1>
      <p className="mb-4 text-muted-foreground">There is nothing at this address.</p>
      <Link to="/watchlist" className="underline">
        Go to your watchlist
      </Link>
    </div>
  );
}
