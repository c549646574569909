import { SuggestionsPage } from "@/features/suggestions";

export function Component() {
  return <SuggestionsPage />;
}
