import { seconds } from "../lib/run.js";
import { commandGroups, type GroupedCommand, groupMembers } from "./groups.js";
import { installToolchain } from "./install.js";

/**
 * Installs the groups a command needs before it starts: instant and one line when the cache holds them, the build's
 * progress otherwise. `log` is the command's progress channel (stderr), so its results on stdout stay clean.
 */
export const ensureToolchainFor = async (command: GroupedCommand, log: (line: string) => void): Promise<void> => {
  const start = Date.now();
  const needed = commandGroups[command];
  const reports = await installToolchain({ only: groupMembers(needed), log, logCached: false });
  const failed = reports.filter((r) => r.outcome === "failed");
  if (failed.length > 0) {
    throw new Error(
      `could not install the ${needed.join(" and ")} toolchain (${failed.map((r) => r.name).join(", ")}); ` +
        `see above, or run: npx llmcharts tools install --group ${needed.join(" ")}`,
    );
  }
  const built = reports.filter((r) => r.outcome === "installed").length;
  log(`toolchain: ${needed.join(", ")} ready (${built} built, ${seconds(Date.now() - start)})`);
};
