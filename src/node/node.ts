/**
 * A real node joined to the embedded control plane: containerd (own root, state and socket), kubelet, kube-proxy
 * (iptables) and kube-router (NetworkPolicy firewall) as host processes, the CNI bridge, the images built here
 * imported into containerd, and CoreDNS as the cluster's DNS pod. The node carries the standard CPU pool's labels,
 * so tenant pods land on it by the charts' own affinity.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildImages, importImages } from "../images/build.js";
import { corednsImage, pauseImage } from "../images/catalog.js";
import { binPath, requireBin } from "../toolchain/tools.js";
import {
  cniConflist,
  containerdToml,
  type KubeletPorts,
  kubeletConfigYaml,
  kubeProxyConfigYaml,
  kubeRouterArgs,
  type NodePaths,
  nodePaths,
} from "./config.js";
import { corednsObjects } from "./coredns.js";
import { hostIp } from "./host.js";

export { nodePaths } from "./config.js";

/** The node's processes, in start order. */
export const nodeComponents = ["containerd", "kubelet", "kube-proxy", "kube-router"] as const;
export type NodeComponent = (typeof nodeComponents)[number];

export interface NodeIdentity {
  name: string;
  ip: string;
}

/** What the control plane hands the node: where to start a process, how to wait, and the API's credentials. */
export interface NodeContext {
  clusterDir: string;
  node: NodeIdentity;
  ports: KubeletPorts;
  /** Writes a kubeconfig for one of the node's identities and returns its path. */
  kubeconfig: (component: "kubelet" | "kube-proxy" | "kube-router") => string;
  start: (component: NodeComponent, exe: string, args: string[], env?: NodeJS.ProcessEnv) => Promise<void>;
  ready: (
    component: NodeComponent,
    what: string,
    probe: () => Promise<true | string>,
    timeoutMs: number,
  ) => Promise<void>;
  /** Applies objects as the cluster admin. */
  apply: (objects: object[]) => Promise<void>;
  /** Runs kubectl as the cluster admin and returns stdout. */
  kubectl: (args: string[]) => Promise<string>;
  log: (line: string) => void;
}

/** The node's name and InternalIP. */
export const realNodeIdentity = (): NodeIdentity => ({ name: "llmcharts-real-0", ip: hostIp() });

const writeConfig = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

const cniBinDir = () => dirname(binPath("bridge"));

/** Images the node needs before any pod: the sandbox and the cluster DNS. */
const systemImages = [pauseImage, corednsImage];

export const startRealNode = async (ctx: NodeContext, nodeLabels: Record<string, string>): Promise<NodePaths> => {
  const p = nodePaths(ctx.clusterDir);
  const { log } = ctx;
  for (const d of [p.containerdRoot, p.containerdState, p.runcRoot, p.cniConfDir, p.cniIpamDir, p.kubeletRoot]) {
    mkdirSync(d, { recursive: true });
  }

  const built = await buildImages(
    systemImages.map((i) => i.name),
    log,
  );
  writeConfig(p.containerdConfig, containerdToml(p, pauseImage.config.ref, cniBinDir()));
  writeConfig(join(p.cniConfDir, "10-llmcharts.conflist"), cniConflist(p));
  await ctx.start("containerd", requireBin("containerd"), ["--config", p.containerdConfig]);
  await ctx.ready(
    "containerd",
    "containerd",
    async () => {
      const { run } = await import("../lib/run.js");
      const r = await run(requireBin("ctr"), ["--address", p.containerdSocket, "version"]);
      return r.exitCode === 0 ? true : (r.stderr.trim().split("\n").pop() ?? "not answering");
    },
    30_000,
  );
  await importImages(
    requireBin("ctr"),
    p.containerdSocket,
    built.map((b) => b.archive),
  );
  log("node images imported (pause, coredns)");

  writeConfig(p.kubeletConfig, kubeletConfigYaml(p, ctx.ports));
  await ctx.start("kubelet", requireBin("kubelet"), [
    `--config=${p.kubeletConfig}`,
    `--kubeconfig=${ctx.kubeconfig("kubelet")}`,
    `--root-dir=${p.kubeletRoot}`,
    `--cert-dir=${p.kubeletCertDir}`,
    `--hostname-override=${ctx.node.name}`,
    `--node-ip=${ctx.node.ip}`,
    "--v=1",
  ]);
  writeConfig(p.kubeProxyConfig, kubeProxyConfigYaml(ctx.kubeconfig("kube-proxy"), ctx.node.name, ctx.ports));
  await ctx.start("kube-proxy", requireBin("kube-proxy"), [`--config=${p.kubeProxyConfig}`, "--v=1"]);

  await ctx.ready(
    "kubelet",
    `node ${ctx.node.name} registered`,
    async () => {
      try {
        await ctx.kubectl(["get", "node", ctx.node.name, "-o", "name"]);
        return true;
      } catch {
        return "not registered yet";
      }
    },
    60_000,
  );
  // kube-router identifies its node at start: only once the node is registered.
  await ctx.start(
    "kube-router",
    requireBin("kube-router"),
    kubeRouterArgs(ctx.kubeconfig("kube-router"), ctx.node.name, ctx.ports),
  );
  // Labels a kubelet may not set on itself (NodeRestriction): the admin sets them, as Karpenter would.
  await ctx.kubectl([
    "label",
    "node",
    ctx.node.name,
    "--overwrite",
    ...Object.entries(nodeLabels).map(([k, v]) => `${k}=${v}`),
  ]);
  await ctx.ready(
    "kubelet",
    `node ${ctx.node.name} Ready`,
    async () => {
      const out = await ctx.kubectl([
        "get",
        "node",
        ctx.node.name,
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return out.trim() === "True" ? true : `Ready=${out.trim() || "unknown"}`;
    },
    90_000,
  );

  await ctx.apply(corednsObjects(corednsImage.config.ref));
  await ctx.ready(
    "kubelet",
    "cluster DNS (CoreDNS) available",
    async () => {
      const out = await ctx.kubectl([
        "get",
        "deployment",
        "coredns",
        "-n",
        "kube-system",
        "-o",
        "jsonpath={.status.availableReplicas}",
      ]);
      return out.trim() === "1" ? true : "coredns not available yet";
    },
    120_000,
  );
  return p;
};
