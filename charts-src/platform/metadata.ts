import type { Helpers } from "../lib/engine/index.js";
import { standardLabels } from "../lib/metadata.js";

/** The chart's name, as its objects' `app.kubernetes.io/name` label says it. */
export const chartName = "platform";

/** The recommended labels of an object of this chart, for one of its components. */
export const platformLabels = (h: Helpers, component: string): Record<string, string> =>
  standardLabels(h, chartName, component);
