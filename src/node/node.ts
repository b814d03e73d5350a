/**
 * Real nodes joined to the embedded control plane: per node a containerd (own root, state and socket) and a kubelet
 * (own root, ports and cgroup root); for the host once, kube-proxy (iptables), kube-router (the NetworkPolicy
 * firewall of the first node's pods) and CoreDNS as the cluster's DNS pod. The images built here are imported into
 * each containerd. The first node carries the standard CPU pool's labels; a second may carry a GPU pool's labels,
 * taint and an advertised nvidia.com/gpu, so premium pods schedule by the charts' own rules and run Ollama on CPU.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildImages, importImages } from "../images/build.js";
import { corednsImage, pauseImage } from "../images/catalog.js";
import { run } from "../lib/run.js";
import { binPath, requireBin } from "../toolchain/tools.js";
import {
  cniConflist,
  containerdToml,
  kubeletConfigYaml,
  kubeProxyConfigYaml,
  kubeRouterArgs,
  type NodePaths,
  type NodePorts,
  type NodeSpec,
  nodePaths,
} from "./config.js";
import { corednsObjects } from "./coredns.js";

export { nodePaths } from "./config.js";

/** What the control plane hands the nodes: where to start a process, how to wait, and the API's credentials. */
export interface NodeContext {
  clusterDir: string;
  /** The host's address: every node's InternalIP. */
  ip: string;
  ports: NodePorts;
  /** Writes a kubeconfig for one identity (a node's kubelet, kube-proxy, kube-router) and returns its path. */
  kubeconfig: (identity: string) => string;
  start: (component: string, exe: string, args: string[]) => Promise<void>;
  ready: (component: string, what: string, probe: () => Promise<true | string>, timeoutMs: number) => Promise<void>;
  /** Applies objects as the cluster admin. */
  apply: (objects: object[]) => Promise<void>;
  /** Runs kubectl as the cluster admin and returns stdout. */
  kubectl: (args: string[]) => Promise<string>;
  log: (line: string) => void;
}

const writeConfig = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

const cniBinDir = () => dirname(binPath("bridge"));

/** Images every node needs before any pod: the sandbox and the cluster DNS. */
const systemImages = [pauseImage, corednsImage];

/** The kubelet's cgroup root must exist in every v1 hierarchy before it starts. */
const createCgroupRoot = (root: string) => {
  if (root === "/") return;
  for (const ctrl of ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd"]) {
    mkdirSync(join("/sys/fs/cgroup", ctrl, root), { recursive: true });
  }
};

/** One node's containerd (images imported) and kubelet; resolves once the Node object is registered. */
const startNodeRuntime = async (ctx: NodeContext, node: NodeSpec, index: number, archives: string[]) => {
  const p: NodePaths = nodePaths(ctx.clusterDir, node.suffix);
  for (const d of [p.containerdRoot, p.containerdState, p.runcRoot, p.cniConfDir, p.cniIpamDir, p.kubeletRoot]) {
    mkdirSync(d, { recursive: true });
  }
  writeConfig(p.containerdConfig, containerdToml(p, pauseImage.config.ref, cniBinDir()));
  writeConfig(join(p.cniConfDir, "10-llmcharts.conflist"), cniConflist(p, node));
  const containerd = `containerd${node.suffix}`;
  await ctx.start(containerd, requireBin("containerd"), ["--config", p.containerdConfig]);
  await ctx.ready(
    containerd,
    containerd,
    async () => {
      const r = await run(requireBin("ctr"), ["--address", p.containerdSocket, "version"]);
      return r.exitCode === 0 ? true : (r.stderr.trim().split("\n").pop() ?? "not answering");
    },
    30_000,
  );
  await importImages(requireBin("ctr"), p.containerdSocket, archives);
  const ports = ctx.ports.kubelets[index];
  if (!ports) throw new Error(`no kubelet ports for node ${node.name}`);
  createCgroupRoot(node.cgroupRoot);
  writeConfig(p.kubeletConfig, kubeletConfigYaml(p, ports, node));
  const kubelet = `kubelet${node.suffix}`;
  await ctx.start(kubelet, requireBin("kubelet"), [
    `--config=${p.kubeletConfig}`,
    `--kubeconfig=${ctx.kubeconfig(`kubelet:${node.name}`)}`,
    `--root-dir=${p.kubeletRoot}`,
    `--cert-dir=${p.kubeletCertDir}`,
    `--hostname-override=${node.name}`,
    `--node-ip=${ctx.ip}`,
    "--v=1",
  ]);
  await ctx.ready(
    kubelet,
    `node ${node.name} registered`,
    async () =>
      ctx
        .kubectl(["get", "node", node.name, "-o", "name"])
        .then(() => true as const)
        .catch(() => "not registered yet"),
    60_000,
  );
  return kubelet;
};

/** Labels and taints a kubelet may not set on itself (NodeRestriction), and extended resources: set by the admin. */
const describeNode = async (ctx: NodeContext, node: NodeSpec) => {
  await ctx.kubectl([
    "label",
    "node",
    node.name,
    "--overwrite",
    ...Object.entries(node.labels).map(([k, v]) => `${k}=${v}`),
  ]);
  for (const t of node.taints) {
    await ctx.kubectl(["taint", "node", node.name, "--overwrite", `${t.key}=${t.value}:${t.effect}`]);
  }
  const patch = Object.entries(node.extendedResources).map(([name, value]) => ({
    op: "add",
    path: `/status/capacity/${name.replaceAll("/", "~1")}`,
    value,
  }));
  if (patch.length > 0) {
    await ctx.kubectl(["patch", "node", node.name, "--subresource=status", "--type=json", "-p", JSON.stringify(patch)]);
  }
};

const nodeReady = (ctx: NodeContext, node: NodeSpec, kubelet: string) =>
  ctx.ready(
    kubelet,
    `node ${node.name} Ready`,
    async () => {
      const out = await ctx.kubectl([
        "get",
        "node",
        node.name,
        "-o",
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ]);
      return out.trim() === "True" ? true : `Ready=${out.trim() || "unknown"}`;
    },
    90_000,
  );

export const startRealNodes = async (ctx: NodeContext, nodes: NodeSpec[]): Promise<void> => {
  const [first] = nodes;
  if (!first) throw new Error("no real node to start");
  const built = await buildImages(
    systemImages.map((i) => i.name),
    ctx.log,
  );
  const archives = built.map((b) => b.archive);
  for (const [i, node] of nodes.entries()) {
    const kubelet = await startNodeRuntime(ctx, node, i, archives);
    if (i === 0) {
      const p = nodePaths(ctx.clusterDir);
      writeConfig(p.kubeProxyConfig, kubeProxyConfigYaml(ctx.kubeconfig("kube-proxy"), first.name, ctx.ports));
      await ctx.start("kube-proxy", requireBin("kube-proxy"), [`--config=${p.kubeProxyConfig}`, "--v=1"]);
      // kube-router identifies its node at start: only once the node is registered.
      await ctx.start(
        "kube-router",
        requireBin("kube-router"),
        kubeRouterArgs(ctx.kubeconfig("kube-router"), first.name, ctx.ports),
      );
    }
    await describeNode(ctx, node);
    await nodeReady(ctx, node, kubelet);
  }
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
};
