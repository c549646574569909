import { useQuery } from "@tanstack/react-query";
import type * as React from "react";
import { Link } from "react-router";

import { Alert } from "@/components/ui/alert";
import { Skeleton } from "@/components/ui/skeleton";
import type { CampaignOut } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

import { consoleQueries } from "../api";
import { CampaignHeader } from "./campaign-header";

/** Loads a campaign, shows its header and sections, and hands it to the section. */
export function CampaignFrame({ campaignId, children }: { campaignId: string; children: (campaign: CampaignOut) => React.ReactNode }) {
  const { data, isPending, isError, error } = useQuery(consoleQueries.campaign(campaignId));
  return (
    <div className="grid gap-5">
      <Link to="/console" className="text-sm underline underline-offset-4">
        All campaigns
      </Link>
      {isPending && <Skeleton className="h-20" />}
      {isError && <Alert variant="destructive">{errorMessage(error, "This campaign could not be loaded.")}</Alert>}
      {data && (
        <>
          <CampaignHeader campaign={data} />
          {children(data)}
        </>
      )}
    </div>
  );
}
