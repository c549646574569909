// A first look at a pasted or uploaded participant list before the API checks it: how many
// rows, which columns, and the rows the API will certainly refuse (the API's per-row
// results remain the authority and name the same line numbers).
export type CsvPreview = { rows: number; header: string[] | null; delimiter: "," | ";"; problems: { line: number; error: string }[] };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const KNOWN = ["email", "timezone", "window_start", "window_end"];

export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export function previewCsv(text: string): CsvPreview {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const first = lines.find((l) => l.trim()) ?? "";
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  const firstCells = splitLine(first, delimiter).map((c) => c.toLowerCase());
  const header = firstCells.includes("email") ? firstCells : null;
  const emailAt = header ? header.indexOf("email") : 0;
  const problems: { line: number; error: string }[] = [];
  if (header) {
    for (const name of header) if (name && !KNOWN.includes(name)) problems.push({ line: 1, error: `unknown column '${name}'` });
  }
  let rows = 0;
  let seenHeader = false;
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    if (header && !seenHeader) {
      seenHeader = true;
      return;
    }
    rows += 1;
    const email = splitLine(line, delimiter)[emailAt] ?? "";
    if (!EMAIL.test(email)) problems.push({ line: index + 1, error: "not an email address" });
  });
  return { rows, header, delimiter, problems };
}
