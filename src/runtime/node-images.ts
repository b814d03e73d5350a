/**
 * Images built here, tagged in the nodes' containerd under the names upstream's manifests and the charts' defaults
 * pull (no registry on this machine): what an operator does with `ctr images tag` after importing them.
 */
import { run, StepError } from "../lib/run.js";
import { nodePaths } from "../node/config.js";
import { labNodes } from "../node/lab-nodes.js";
import { requireBin } from "../toolchain/tools.js";
import type { RuntimeContext } from "./context.js";

/** Tags each `[built, upstream]` pair on every node that holds the built image (bring-up imports per node). */
export const tagUnderUpstreamNames = async (
  ctx: RuntimeContext,
  pairs: [built: string, upstream: string][],
  { standardOnly = [] }: { standardOnly?: string[] } = {},
): Promise<void> => {
  const stateDir = ctx.info?.stateDir ?? "";
  for (const n of labNodes(true)) {
    const socket = nodePaths(stateDir, n.suffix).containerdSocket;
    for (const [built, upstream] of pairs) {
      const args = ["--address", socket, "-n", "k8s.io", "images", "tag", "--force", built, upstream];
      const res = await run(requireBin("ctr"), args);
      // The standard node's images are only there.
      if (res.exitCode !== 0 && !(n.suffix && standardOnly.includes(built)))
        throw new StepError(`ctr images tag ${built} ${upstream}`, res);
    }
  }
};
