import { isRouteErrorResponse, Link, useRouteError } from "react-router";

export function RouteError() {
  const error = useRouteError();
  const chunkFailed = error instanceof TypeError && /import|fetch/i.test(error.message);
  return (
    <div role="alert" className="mx-auto max-w-md p-8 text-center">
      <h1 className="mb-2 text-xl font-semibold">Something went wrong</h1>
      <p className="mb-4 text-muted-foreground">
        {chunkFailed
          ? "This page could not load: Kairos may have been updated, or the connection dropped."
          : isRouteErrorResponse(error)
            ? `${error.status} ${error.statusText}`
            : "An unexpected error stopped this page."}
      </p>
      <p className="flex justify-center gap-4">
        <button type="button" className="underline" onClick={() => window.location.reload()}>
          Reload the page
        </button>
        <Link to="/" className="underline">
          Go home
        </Link>
      </p>
    </div>
  );
}
