import { type Command, Option } from "commander";
import { labNodes } from "../node/lab-nodes.js";
import { ensureToolchainFor } from "../toolchain/ensure.js";
import { type ClusterStatus, clusterDown, clusterStatus, clusterUp } from "./control-plane.js";
import { checkControllerNames, controllerNames } from "./controllers/index.js";

interface ClusterOptions {
  name: string;
  json?: boolean;
  realNode?: boolean;
  gpuNode?: boolean;
  controllers?: string[];
}

const formatStatus = (s: ClusterStatus): string =>
  [
    `cluster "${s.name}": ${s.state}`,
    ...(s.apiserverUrl ? [`  api server   ${s.apiserverUrl} (${s.api})`] : []),
    ...s.components.map(
      (c) => `  ${c.name.padEnd(24)} ${c.alive ? "alive" : "dead "} ${c.pid === undefined ? "-" : `pid ${c.pid}`}`,
    ),
    ...(s.kubeconfig && s.state !== "stopped" ? [`  kubeconfig   ${s.kubeconfig}`] : []),
  ].join("\n");

/** Adds `cluster up|down|status [--name N] [--json]`. */
export const registerClusterCommands = (program: Command): Command => {
  const cluster = program
    .command("cluster")
    .description(
      "a local Kubernetes control plane (etcd, API server, controllers, scheduler) with kwok-simulated nodes",
    );

  cluster
    .command("up")
    .description("start a cluster and print its kubeconfig; progress goes to stderr")
    .option("--name <name>", "cluster name", "default")
    .option("--json", "print the cluster's details as JSON")
    .option("--real-node", "also join a real node (containerd, kubelet, kube-proxy, kube-router, CoreDNS; needs root)")
    .option(
      "--gpu-node",
      "with --real-node: a second real node of the premium pool (GPU taint, nvidia.com/gpu advertised)",
    )
    .addOption(
      new Option(
        "--controllers <names...>",
        "also run these controllers as host processes, their metrics APIs registered",
      ).choices(controllerNames),
    )
    .action(async (opts: ClusterOptions) => {
      // Ctrl-C stops the start-up and whatever it already started (the components ignore the terminal's signals).
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        await ensureToolchainFor(opts.realNode ? "cluster up --real-node" : "cluster up", (line) =>
          console.error(line),
        );
        const info = await clusterUp({
          name: opts.name,
          controllers: checkControllerNames(opts.controllers ?? []),
          signal: abort.signal,
          log: (line) => console.error(line),
          ...(opts.realNode ? { realNodes: labNodes(opts.gpuNode ?? false) } : {}),
        });
        if (opts.json) {
          console.log(JSON.stringify(info, null, 2));
        } else {
          console.log(`cluster "${info.name}" is up at ${info.apiserverUrl}`);
          console.log(`kubeconfig: ${info.kubeconfig}`);
          console.log(`export KUBECONFIG=${info.kubeconfig}`);
        }
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });

  cluster
    .command("down")
    .description("stop every process of a cluster and remove its state (nothing to do is not an error)")
    .option("--name <name>", "cluster name", "default")
    .option("--json", "print the report as JSON")
    .action(async (opts: ClusterOptions) => {
      try {
        const report = await clusterDown({ name: opts.name });
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
        } else if (!report.existed) {
          console.log(`cluster "${report.name}" does not exist`);
        } else {
          const stopped = report.terminated.length + report.killed.length;
          const killed = report.killed.length > 0 ? ` (SIGKILL: ${report.killed.join(", ")})` : "";
          console.log(`cluster "${report.name}" removed: ${stopped} processes stopped${killed}`);
        }
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      }
    });

  cluster
    .command("status")
    .description("whether a cluster runs: each component's process and the API server's health (exit 0 iff running)")
    .option("--name <name>", "cluster name", "default")
    .option("--json", "print the status as JSON")
    .action(async (opts: ClusterOptions) => {
      const status = await clusterStatus({ name: opts.name });
      console.log(opts.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      process.exitCode = status.state === "running" ? 0 : 1;
    });

  return cluster;
};
