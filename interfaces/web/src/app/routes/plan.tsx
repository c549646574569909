import { PlanPage } from "@/features/plan";

export function Component() {
  return <PlanPage />;
}
