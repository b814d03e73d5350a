/**
 * Configuration files of a real node's components: pure functions of the node's directory, name, address and ports.
 * Facts behind the settings (this VM's cgroup v1 controllers, the withheld CAP_SYS_RESOURCE, images that cannot be
 * pulled again) are in notes/runtime.md.
 */
import { join } from "node:path";
import { stringify } from "yaml";

export interface NodePaths {
  dir: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  runcRoot: string;
  cniConfDir: string;
  cniIpamDir: string;
  kubeletConfig: string;
  kubeletRoot: string;
  kubeletCertDir: string;
  podLogsDir: string;
  volumePluginDir: string;
  kubeProxyConfig: string;
  corefile: string;
  hostSnapshot: string;
}

/** A real node: its name, what Karpenter would put on it, and its slice of the host (pod range, bridge, cgroups). */
export interface NodeSpec {
  name: string;
  /** Suffix of its processes, log files and directory ("" for the first node). */
  suffix: string;
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  /** Extended resources advertised in its status (e.g. nvidia.com/gpu: a CPU node standing in for a GPU node). */
  extendedResources: Record<string, string>;
  podCidr: string;
  bridge: string;
  /** The cgroup its pods live under (each kubelet needs its own, or they would fight over kubepods). */
  cgroupRoot: string;
}

/** Cgroups the nodes' pods live under, below each v1 controller. */
export const nodeCgroupRoots = ["/", "/llmcharts-gpu"];

export const nodePaths = (clusterDir: string, suffix = ""): NodePaths => {
  const dir = join(clusterDir, `node${suffix}`);
  return {
    dir,
    containerdConfig: join(dir, "containerd.toml"),
    containerdRoot: join(dir, "containerd", "root"),
    containerdState: join(dir, "containerd", "state"),
    containerdSocket: join(dir, "containerd", "containerd.sock"),
    runcRoot: join(dir, "containerd", "runc"),
    cniConfDir: join(dir, "cni", "net.d"),
    cniIpamDir: join(dir, "cni", "ipam"),
    kubeletConfig: join(dir, "kubelet.yaml"),
    kubeletRoot: join(dir, "kubelet"),
    kubeletCertDir: join(dir, "kubelet-pki"),
    podLogsDir: join(dir, "pod-logs"),
    volumePluginDir: join(dir, "volume-plugins"),
    kubeProxyConfig: join(dir, "kube-proxy.yaml"),
    corefile: join(dir, "Corefile"),
    hostSnapshot: join(dir, "host-snapshot.json"),
  };
};

/** The nodes' pod networks (one /16 per node): inside 10.0.0.0/8, which the tenant charts treat as private. */
export const clusterPodCidr = "10.88.0.0/15";
/** The cluster DNS Service address (in the control plane's Service range). */
export const clusterDnsIp = "10.96.0.10";
export const clusterDomain = "cluster.local";

export const containerdToml = (p: NodePaths, pauseImage: string, cniBinDir: string): string =>
  `version = 2
root = "${p.containerdRoot}"
state = "${p.containerdState}"

[grpc]
  address = "${p.containerdSocket}"

[ttrpc]
  address = "${p.containerdSocket}.ttrpc"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${pauseImage}"
  # This VM withholds CAP_SYS_RESOURCE: a negative oom_score_adj (pause, Guaranteed pods) would make runc fail.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "${p.runcRoot}"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${cniBinDir}"
    conf_dir = "${p.cniConfDir}"
`;

/** One bridge for every pod of the node, addresses from host-local, hostPorts through portmap. */
export const cniConflist = (p: NodePaths, node: NodeSpec): string =>
  JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: "llmcharts",
      plugins: [
        {
          type: "bridge",
          bridge: node.bridge,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: node.podCidr }]],
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: p.cniIpamDir,
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );

export interface KubeletPorts {
  kubelet: number;
  kubeletHealthz: number;
}

export interface NodePorts {
  kubelets: KubeletPorts[];
  proxyHealthz: number;
  proxyMetrics: number;
  routerHealth: number;
  routerMetrics: number;
}

export const kubeletConfigYaml = (p: NodePaths, ports: KubeletPorts, node: NodeSpec): string =>
  stringify({
    cgroupRoot: node.cgroupRoot,
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    // Only cgroup v1 controllers are usable here; kubelet 1.35 runs on them when told not to refuse.
    cgroupDriver: "cgroupfs",
    failCgroupV1: false,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    // Images are imported, never pulled: collecting one would lose it for good.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%" },
    podLogsDir: p.podLogsDir,
    volumePluginDir: p.volumePluginDir,
    // The API server has no kubelet client certificate: it calls exec and logs anonymously, on the node's address.
    authentication: { anonymous: { enabled: true }, webhook: { enabled: false } },
    authorization: { mode: "AlwaysAllow" },
    clusterDNS: [clusterDnsIp],
    clusterDomain,
    resolvConf: "/etc/resolv.conf",
    port: ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: ports.kubeletHealthz,
    failSwapOn: false,
    serializeImagePulls: false,
    rotateCertificates: false,
    maxPods: 110,
  });

export const kubeProxyConfigYaml = (kubeconfig: string, nodeName: string, ports: NodePorts): string =>
  stringify({
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clientConnection: { kubeconfig },
    hostnameOverride: nodeName,
    clusterCIDR: clusterPodCidr,
    healthzBindAddress: `127.0.0.1:${ports.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${ports.proxyMetrics}`,
    // Leave the host's conntrack sysctls alone.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
  });

/** kube-router as a NetworkPolicy firewall only: routing, service proxy and CNI are the other components' jobs. */
export const kubeRouterArgs = (kubeconfig: string, nodeName: string, ports: NodePorts): string[] => [
  `--kubeconfig=${kubeconfig}`,
  `--hostname-override=${nodeName}`,
  "--run-firewall=true",
  "--run-router=false",
  "--run-service-proxy=false",
  "--enable-cni=false",
  "--service-cluster-ip-range=10.96.0.0/12",
  `--health-port=${ports.routerHealth}`,
  `--metrics-port=0`,
  "--v=1",
];

/** Cluster DNS: Services and pods of cluster.local; everything else is refused at once (there is no upstream). */
export const corefile = `.:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
}
`;
