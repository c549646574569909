// Regenerates the API client (src/lib/api) from openapi.json; with --check, generates into a
// temporary folder and fails when the committed client differs (the drift test).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const check = process.argv.includes("--check");
const committed = "src/lib/api";
const out = check ? mkdtempSync(join(tmpdir(), "kairos-client-")) : committed;
execFileSync(
  process.execPath,
  ["node_modules/@hey-api/openapi-ts/bin/run.js", "-f", "openapi-ts.config.ts", "-o", out],
  { stdio: check ? "pipe" : "inherit" },
);
if (check) {
  const files = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  const a = new Map(files(committed).map((p) => [relative(committed, p), readFileSync(p, "utf8")]));
  const b = new Map(files(out).map((p) => [relative(out, p), readFileSync(p, "utf8")]));
  const differ = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
  rmSync(out, { recursive: true, force: true });
  if (differ.length) {
    console.error(`the API client is out of date (${differ.join(", ")}): run npm run generate`);
    process.exit(1);
  }
  console.log("the API client matches openapi.json");
}
