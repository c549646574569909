import { aboutOptions } from "@/lib/api/@tanstack/react-query.gen";

export const aboutQueries = {
  about: () => ({ ...aboutOptions(), staleTime: Infinity }),
};
