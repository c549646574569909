import { useParams } from "react-router";

import { TitlePage } from "@/features/title";

export function Component() {
  const { tmdbId } = useParams();
  const id = /^\d{1,9}$/.test(tmdbId ?? "") ? Number(tmdbId) : 0;
  return <TitlePage key={id} tmdbId={id} />;
}
