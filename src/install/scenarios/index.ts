/**
 * Rung 5 of the validation ladder, in the order it runs: the generated charts installed on a real API server. The
 * CLI (`llmcharts test-install`) and test/install run this one list.
 *
 *   1 bring-up      cluster, the pinned upstream CRDs Established, kwok nodes per NodePool in two zones
 *   2 install       nodepools, platform, three tenants (standard, premium, both) with real helm; pods placed by tier;
 *                   KEDA active on premium's business-hours trigger, its HPA keeping premium's pod; with /queue
 *                   unreadable on kwok, KEDA on the chart's fallback (Ready and Fallback True) and helm --wait returning
 *   3 admission     the API server refuses GPU pods and GPU tolerations outside premium, pods over quota, privilege
 *   4 isolation     np-guard's analysis of the live NetworkPolicies: no tenant reaches another
 *   5 lifecycle     previous chart version → upgrade → rollback → uninstall (kept namespace and data) → reinstall
 *   oci             published signed to a real OCI registry, installed from it with --verify, tenant upgraded there
 *   bad-input       a chart the server refuses stops at the dry run with the server's message
 *   6 argocd        a real Argo CD: the platform ApplicationSet turns a fleet folder of 3 tenants into Synced, Healthy
 *                   Applications (canary first); a second render changes nothing; a tenant removed keeps its claim
 *                   and Namespace
 *   karpenter       Karpenter (kwok provider, the project's instance catalog) makes the nodes of the nodepools chart's
 *                   own NodePools (release karp, kwok node class): standard, premium spot and its on-demand
 *                   fallback, extra GPU pools, a pod beyond a pool's GPU limit Pending, a pool no instance satisfies,
 *                   premium drained to zero, a reclaimed NodeClaim replaced
 *   7 teardown      every process of the cluster gone (unless kept)
 */
import type { InstallScenario } from "../context.js";
import { admission } from "./admission.js";
import { argocd } from "./argocd.js";
import { badInput } from "./bad-input.js";
import { bringUp } from "./bring-up.js";
import { install } from "./install.js";
import { isolation } from "./isolation.js";
import { karpenter } from "./karpenter.js";
import { lifecycle } from "./lifecycle.js";
import { oci } from "./oci.js";
import { teardown } from "./teardown.js";

export const installScenarios: readonly InstallScenario[] = [
  bringUp,
  install,
  admission,
  isolation,
  lifecycle,
  oci,
  badInput,
  argocd,
  karpenter,
  teardown,
];

export { bringUp, teardown };
