import { SharedListPage } from "@/features/lists";

export function Component() {
  return <SharedListPage />;
}
