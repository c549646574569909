import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { configureClient } from "@/lib/session";

import { AddTitleSearch } from "./add-title-search";

const RESULTS = {
  results: [
    { tmdb_id: 1, title: "Heat", year: 1995, poster_url: null },
    { tmdb_id: 2, title: "Heat", year: 1986, poster_url: null },
  ],
};

function respond(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

describe("AddTitleSearch", () => {
  const calls: { method: string; url: string; body: string }[] = [];
  beforeEach(() => {
    calls.length = 0;
    configureClient("http://kairos.test");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        calls.push({ method: request.method, url: request.url, body: request.method === "POST" ? await request.clone().text() : "" });
        if (request.url.includes("/titles/search")) return respond(RESULTS);
        if (request.url.endsWith("/me/watchlist/items")) {
          const { tmdb_id } = JSON.parse(calls.at(-1)!.body);
          return tmdb_id === 2 ? respond({ detail: "this title is already on your watchlist" }, 409) : respond({ tmdb_id, title: null }, 201);
        }
        return respond({}, 404);
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderSearch() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <AddTitleSearch onList={new Set()} suggestions={["Casablanca"]} />
      </QueryClientProvider>,
    );
  }

  it("searches once typing settles, moves with arrow keys and adds with Enter", async () => {
    renderSearch();
    const box = screen.getByRole("combobox", { name: "Add a film" });
    await userEvent.type(box, "heat");
    const options = await screen.findAllByRole("option");
    expect(options).toHaveLength(2);
    expect(calls.filter((c) => c.url.includes("/titles/search"))).toHaveLength(1); // debounced
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{ArrowDown}{ArrowUp}{Enter}");
    expect(await screen.findByText("Added Heat to your watchlist.")).toBeInTheDocument();
    expect(JSON.parse(calls.at(-1)!.body)).toEqual({ tmdb_id: 1 });
  });

  it("says so when the title is already on the list", async () => {
    renderSearch();
    await userEvent.type(screen.getByRole("combobox", { name: "Add a film" }), "heat");
    await screen.findAllByRole("option");
    await userEvent.keyboard("{ArrowDown}{Enter}");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Heat is already on your watchlist."));
  });
});
