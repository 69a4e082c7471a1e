/** useUrlList against a real router on a memory history: what the URL holds after each step. */
import {
  createMemoryHistory,
  createRootRoute,
  createRoute,
  createRouter,
  RouterProvider,
} from "@tanstack/react-router";
import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { useUrlList } from "./url-list.ts";

/** A list route's search, as the users and organizations routes validate theirs. */
const ZListSearch = z.object({
  page: z.number().int().min(1).optional().catch(undefined),
  q: z.coerce.string().trim().min(1).max(200).optional().catch(undefined),
});

let list: ReturnType<typeof useUrlList> | undefined;

function Probe() {
  list = useUrlList();
  return <p>q={list.search.q ?? "-"}</p>;
}

async function renderAt(url: string) {
  const root = createRootRoute();
  const route = createRoute({
    getParentRoute: () => root,
    path: "/users",
    validateSearch: ZListSearch,
    component: Probe,
  });
  const router = createRouter({
    routeTree: root.addChildren([route]),
    history: createMemoryHistory({ initialEntries: [url] }),
  });
  render(<RouterProvider router={router} />);
  await screen.findByText(/^q=/);
  return router;
}

/** Runs a navigation and lets the router settle. */
const step = (run: () => void) =>
  act(async () => {
    run();
    await Promise.resolve();
  });

describe("useUrlList", () => {
  it("reads q and page, pages with the search kept, and leaves page 1 out of the URL", async () => {
    const router = await renderAt("/users?q=ada&page=2");
    expect(list?.search).toEqual({ q: "ada", page: 2 });
    await step(() => list?.onPage(3));
    expect(router.state.location.pathname).toBe("/users");
    expect(router.state.location.search).toEqual({ q: "ada", page: 3 });
    await step(() => list?.onPage(1));
    expect(router.state.location.search).toEqual({ q: "ada" });
  });

  it("starts a new search at page 1", async () => {
    const router = await renderAt("/users?q=ada&page=4");
    await step(() => list?.searchBox.onChange("grace"));
    expect(router.state.location.pathname).toBe("/users");
    expect(router.state.location.search).toEqual({ q: "grace" });
  });
});
