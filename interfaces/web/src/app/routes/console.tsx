import { CampaignList } from "@/features/console";

export function Component() {
  return <CampaignList />;
}
