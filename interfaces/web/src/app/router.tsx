import { createBrowserRouter, type RouteObject } from "react-router";

import { MemberLayout, PageLoading, PublicLayout, SharedLayout } from "@/app/layouts";
import { RouteError } from "@/app/routes/route-error";

// Every page loads lazily (its own chunk), so the first load carries only the shell.
// App paths must not start with a segment the API uses (/auth, /me, /titles, /campaigns,
// /s, /join, ...): the server sends those to the API, everything else to this app.
export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { path: "/sign-in", lazy: () => import("@/app/routes/sign-in") },
      { path: "/sign-up", lazy: () => import("@/app/routes/sign-up") },
    ],
  },
  {
    element: <SharedLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading />,
    children: [{ path: "/shared/:secret", lazy: () => import("@/app/routes/shared") }],
  },
  {
    element: <MemberLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <PageLoading />,
    children: [
      { path: "/", lazy: () => import("@/app/routes/home") },
      { path: "/watchlist", lazy: () => import("@/app/routes/watchlist") },
      { path: "/lists", lazy: () => import("@/app/routes/lists") },
      { path: "/lists/:listId", lazy: () => import("@/app/routes/list") },
      { path: "/onboarding", lazy: () => import("@/app/routes/onboarding") },
      { path: "/title/:tmdbId", lazy: () => import("@/app/routes/title") },
      { path: "/suggestions", lazy: () => import("@/app/routes/suggestions") },
      { path: "/import", lazy: () => import("@/app/routes/import") },
      { path: "/alerts", lazy: () => import("@/app/routes/alerts") },
      { path: "/plan", lazy: () => import("@/app/routes/plan") },
      { path: "/console", lazy: () => import("@/app/routes/console") },
      { path: "/console/campaigns/:campaignId/:section?", lazy: () => import("@/app/routes/console-campaign") },
      { path: "/console/campaigns/:campaignId/:section/:participantId", lazy: () => import("@/app/routes/console-campaign") },
      { path: "/console/audit/:campaignId?", lazy: () => import("@/app/routes/console-audit") },
      { path: "*", lazy: () => import("@/app/routes/not-found") },
    ],
  },
];

export const router = createBrowserRouter(routes);
