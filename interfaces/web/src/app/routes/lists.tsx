import { ListsPage } from "@/features/lists";

export function Component() {
  return <ListsPage />;
}
