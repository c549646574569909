import { Download } from "lucide-react";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { exportMyData } from "@/lib/api";
import { errorMessage } from "@/lib/http-error";

const FILES = [
  { format: "letterboxd", label: "Watched films (Letterboxd CSV)", name: "kairos-watched.csv" },
  { format: "letterboxd_watchlist", label: "Watchlist (Letterboxd CSV)", name: "kairos-watchlist.csv" },
  { format: "json", label: "Everything (JSON)", name: "kairos-myvod.json" },
] as const;

/** Downloads of my data: Letterboxd's import format, or everything as JSON. */
export function ExportPanel() {
  const [said, setSaid] = useState("");
  const download = async (format: (typeof FILES)[number]["format"], name: string) => {
    setSaid("Preparing the file…");
    try {
      const { data } = await exportMyData({ query: { format }, parseAs: "blob", throwOnError: true });
      const url = URL.createObjectURL(data as Blob);
      const link = Object.assign(document.createElement("a"), { href: url, download: name });
      link.click();
      URL.revokeObjectURL(url);
      setSaid(`Downloaded ${name}.`);
    } catch (error) {
      setSaid(`The export failed: ${errorMessage(error)}`);
    }
  };
  return (
    <section aria-labelledby="export" className="grid gap-3 rounded-xl border p-4">
      <h2 id="export" className="text-lg font-semibold">
        Export
      </h2>
      <p className="text-sm text-muted-foreground">Take your films elsewhere: Letterboxd imports the CSVs (Settings → Import); the JSON holds everything, lists and notes included.</p>
      <div className="flex flex-wrap gap-2">
        {FILES.map((f) => (
          <Button key={f.format} variant="outline" onClick={() => void download(f.format, f.name)}>
            <Download aria-hidden="true" /> {f.label}
          </Button>
        ))}
      </div>
      <p role="status" className="text-sm text-muted-foreground">
        {said}
      </p>
    </section>
  );
}
