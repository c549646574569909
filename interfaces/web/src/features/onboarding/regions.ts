// Regions offered first (where streaming catalogues differ most); any ISO 3166-1 code works.
export const REGIONS = ["US", "GB", "PL", "DE", "FR", "ES", "IT", "NL", "SE", "NO", "DK", "FI", "IE", "PT", "AT", "CH", "BE", "CZ", "CA", "AU", "NZ", "BR", "MX", "AR", "IN", "JP", "KR", "ZA"];

const names = typeof Intl !== "undefined" && "DisplayNames" in Intl ? new Intl.DisplayNames(["en"], { type: "region" }) : null;

export function regionName(code: string): string {
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The visitor's region from the browser's language (en-GB -> GB), if it is one we list. */
export function guessRegion(languages: readonly string[] = navigator.languages ?? []): string {
  for (const tag of languages) {
    const region = tag.split("-")[1]?.toUpperCase();
    if (region && REGIONS.includes(region)) return region;
  }
  return "US";
}
