import type { Helpers } from "../lib/engine/index.js";
import type { KubeObject } from "../lib/k8s.js";
import { standardLabels } from "../lib/metadata.js";

/** The chart's name, as its objects' `app.kubernetes.io/name` label says it. */
export const chartName = "platform";

/** The recommended labels of an object of this chart, for one of its components. */
export const platformLabels = (h: Helpers, component: string): Record<string, string> =>
  standardLabels(h, chartName, component);

/** An object built without this chart's labels (the policy modules serve `policies/` too), labelled as one of its components. */
export const labelledAs = <R extends KubeObject>(h: Helpers, component: string, r: R): R => ({
  ...r,
  metadata: { ...r.metadata, labels: platformLabels(h, component) },
});
