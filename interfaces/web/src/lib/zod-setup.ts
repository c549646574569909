// Imported before any schema: the page's Content-Security-Policy forbids eval, and Zod
// would otherwise probe for it (a CSP violation report) to compile faster parsers.
import * as z from "zod";

z.config({ jitless: true });
