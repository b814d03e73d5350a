/** Scenario 7: the embedded cluster stopped, and none of its processes or state left behind. */
import { clusterDown, clusterStatus } from "../../cluster/index.js";
import type { InstallScenario } from "../context.js";

export const teardown: InstallScenario = {
  id: "7",
  title: "teardown: no process of the cluster left behind",
  withoutCluster: true,
  cleanup: true,
  run: async (ctx, r) => {
    if (!ctx.embedded) {
      const releases = (await ctx.helm?.list().catch(() => [])) ?? [];
      r.note(
        `external cluster: nothing removed. Releases: ${releases.map((x) => `${x.namespace}/${x.name}`).join(", ") || "-"}; ` +
          "kept tenant namespaces and claims stay too",
      );
      r.check("nothing to stop", true);
      return;
    }
    if (!ctx.info) {
      // This run started no cluster (its start-up failed, e.g. another run's cluster of the same name was running):
      // a cluster of that name is not this run's to stop.
      r.note(`no cluster started by this run: whatever runs as "${ctx.clusterName}" is left alone`);
      r.check("nothing of this run to stop", true);
      return;
    }
    const pids = Object.entries(ctx.info.pids);
    const report = await clusterDown({ name: ctx.clusterName });
    r.note(
      `stopped: ${report.terminated.join(", ") || "-"}${report.killed.length ? `; SIGKILL: ${report.killed.join(", ")}` : ""}`,
    );
    const alive = pids.filter(([, pid]) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    r.check("every control-plane process is gone", alive.length === 0, alive.map(([n, p]) => `${n} ${p}`).join(", "));
    r.check("the cluster's state is removed", (await clusterStatus({ name: ctx.clusterName })).state === "absent");
  },
};
