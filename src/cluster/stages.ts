import { readFileSync } from "node:fs";
import { join } from "node:path";
import { goTool, toolEtc } from "../toolchain/tools.js";

/**
 * Stages for the kwok controller. The `kwok` binary embeds none: without a `--config` holding some it exits with
 * "no stages found", and the nodes and pods it manages never change status. The installer copies the stages kwokctl
 * itself uses from the pinned kwok module: nodes become Ready and keep a lease (node-initialize,
 * node-heartbeat-with-lease); pods bound to a managed node become Ready and Running (pod-ready), Job pods complete
 * (pod-complete), and deleted pods go away (pod-delete).
 */
export const kwokConfig = (): string =>
  (goTool("kwok").moduleFiles ?? [])
    .map((file) => readFileSync(join(toolEtc("kwok"), file.split("/").pop() as string), "utf8").trim())
    .join("\n---\n")
    .concat("\n");
