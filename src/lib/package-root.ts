import { join } from "node:path";

/**
 * The llmcharts package itself (charts-src/, generated/, policies/): found from this file, not the working directory,
 * so `llmcharts validate -f ~/acme.yaml` works from anywhere, and from an installed package too.
 */
export const packageRoot: string = join(import.meta.dirname, "..", "..");
