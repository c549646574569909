import { defineConfig } from "@hey-api/openapi-ts";

// The API client is generated from openapi.json (written by `kairos docs openapi --write`).
// Never edit src/lib/api/ by hand: run `npm run generate`.
export default defineConfig({
  input: "openapi.json",
  output: { path: "src/lib/api", postProcess: [] },
  plugins: [
    "@hey-api/client-fetch",
    "@hey-api/typescript",
    "@hey-api/sdk",
    "zod",
    "@tanstack/react-query",
  ],
});
