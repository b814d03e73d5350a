/** teardown: the cluster stopped, the host put back as it was, the lab's host services stopped. */
import type { RuntimeScenario } from "../context.js";

export const teardown: RuntimeScenario = {
  id: "teardown",
  title: "the cluster and the host services stopped; the host left as it was found",
  withoutCluster: true,
  cleanup: true,
  run: async (ctx) => {
    await ctx.down();
  },
};
