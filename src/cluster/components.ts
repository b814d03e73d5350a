/** Command lines of the control-plane components: pure functions of the cluster's paths and ports. */
import type { ClusterPaths } from "./paths.js";
import { frontProxyClientName } from "./pki.js";

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

/** Component names, in start order; also their log file names. */
export const componentNames = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
export type ComponentName = (typeof componentNames)[number];

const host = "127.0.0.1";

/** Service ClusterIPs come from this range; its first address is the `kubernetes` Service's. */
export const serviceClusterIpRange = "10.96.0.0/12";

export const etcdArgs = (p: ClusterPaths, ports: ClusterPorts): string[] => {
  const client = `http://${host}:${ports.etcdClient}`;
  const peer = `http://${host}:${ports.etcdPeer}`;
  return [
    "--name=llmcharts",
    `--data-dir=${p.etcdData}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    // A single member still listens for peers; a random port keeps clusters from clashing on the default 2380.
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=llmcharts=${peer}`,
    // Throwaway data: no fsync makes writes (and so the whole control plane) much faster.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ];
};

/**
 * With a real node (`nodeIp`), the API server listens on the node's address: pods (CoreDNS) reach it through the
 * `kubernetes` Service, whose endpoints it then maintains itself; NodeRestriction holds the kubelet to its own node,
 * and exec and logs dial the kubelet at its InternalIP.
 */
export const apiserverArgs = (p: ClusterPaths, ports: ClusterPorts, nodeIp?: string): string[] => [
  `--etcd-servers=http://${host}:${ports.etcdClient}`,
  `--bind-address=${nodeIp ?? host}`,
  // Without it the API server looks for a non-loopback host interface to advertise, which may not exist.
  `--advertise-address=${nodeIp ?? host}`,
  `--secure-port=${ports.apiserver}`,
  // No --tls-cert-file: the server self-signs a certificate for 127.0.0.1 and the kubernetes Service names here.
  `--cert-dir=${p.apiserverCertDir}`,
  `--token-auth-file=${p.tokens}`,
  "--authorization-mode=Node,RBAC",
  `--service-cluster-ip-range=${serviceClusterIpRange}`,
  "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
  `--service-account-key-file=${p.saPub}`,
  `--service-account-signing-key-file=${p.saKey}`,
  ...aggregationArgs(p),
  // Charts may run privileged containers (device plugins, node agents); the default would reject their pods.
  "--allow-privileged=true",
  // The `kubernetes` Service's endpoints would be 127.0.0.1, which endpoint validation rejects (loopback) on every
  // reconcile; without a real node nothing dials the API server through that Service.
  ...(nodeIp
    ? ["--enable-admission-plugins=NodeRestriction", "--kubelet-preferred-address-types=InternalIP,Hostname"]
    : ["--endpoint-reconciler-type=none"]),
  "--profiling=false",
];

/**
 * The aggregation layer: the API server proxies the groups of extension API servers (the controllers' metrics APIs)
 * with its front-proxy client certificate and the caller's identity in request headers, and publishes the CA and
 * header names in ConfigMap kube-system/extension-apiserver-authentication, where those servers read them. The
 * controllers run as host processes, reached through a Service without selector whose EndpointSlice names the host:
 * only endpoint routing dials that address; routing to a ClusterIP needs kube-proxy rules the host may not have.
 */
const aggregationArgs = (p: ClusterPaths): string[] => [
  `--client-ca-file=${p.clientCa}`,
  `--requestheader-client-ca-file=${p.frontProxy.ca}`,
  `--requestheader-allowed-names=${frontProxyClientName}`,
  "--requestheader-username-headers=X-Remote-User",
  "--requestheader-group-headers=X-Remote-Group",
  "--requestheader-extra-headers-prefix=X-Remote-Extra-",
  `--proxy-client-cert-file=${p.frontProxy.clientCert}`,
  `--proxy-client-key-file=${p.frontProxy.clientKey}`,
  "--enable-aggregator-routing=true",
];

/**
 * The flags kube-controller-manager and kube-scheduler share: kubeconfig and loopback serving. No
 * --authentication-kubeconfig/--authorization-kubeconfig: their /healthz stays readable without credentials (it is in
 * the default --authorization-always-allow-paths) and nothing else needs their port.
 */
const componentServing = (kubeconfig: string, port: number): string[] => [
  `--kubeconfig=${kubeconfig}`,
  `--bind-address=${host}`,
  `--secure-port=${port}`,
  "--leader-elect=false",
  "--profiling=false",
  // The default client rate limit (20 QPS) throttles start-up: with --use-service-account-credentials the
  // controller-manager makes ~3 requests per controller before any runs, which took 5s instead of a fraction.
  "--kube-api-qps=1000",
  "--kube-api-burst=2000",
];

export const controllerManagerArgs = (p: ClusterPaths, ports: ClusterPorts): string[] => [
  ...componentServing(p.componentKubeconfig("kube-controller-manager"), ports.controllerManager),
  // There is no cloud: leave out the controllers that only talk to one.
  "--controllers=*,-cloud-node-lifecycle-controller,-node-route-controller,-service-lb-controller",
  // Each controller gets a service account of its own, as in a real cluster, so RBAC errors surface like there.
  "--use-service-account-credentials=true",
  `--service-account-private-key-file=${p.saKey}`,
  // Published in every namespace as the kube-root-ca.crt ConfigMap.
  `--root-ca-file=${p.ca}`,
  // A claim created together with its pre-bound volume otherwise waits for the binder's next 15 s pass.
  "--pvclaimbinder-sync-period=1s",
];

export const schedulerArgs = (p: ClusterPaths, ports: ClusterPorts): string[] =>
  componentServing(p.componentKubeconfig("kube-scheduler"), ports.scheduler);

/** kwok's annotation that marks the nodes it simulates (the one kwokctl uses). */
export const kwokNodeSelector = "kwok.x-k8s.io/node=fake";

export const kwokArgs = (p: ClusterPaths, ports: ClusterPorts): string[] => [
  `--kubeconfig=${p.componentKubeconfig("kwok")}`,
  `--config=${p.kwokConfig}`,
  // Only nodes that opt in are simulated; anything else is left alone.
  "--manage-all-nodes=false",
  `--manage-nodes-with-annotation-selector=${kwokNodeSelector}`,
  "--manage-nodes-with-label-selector=",
  // Keep nodes alive with Leases rather than status updates (kwokctl's default).
  "--node-lease-duration-seconds=40",
  // Pod IPs of simulated pods (the default 10.0.0.0/24 runs out after 256 pods).
  "--cidr=10.244.0.0/16",
  // Serves /healthz once the controller runs; nothing else listens there (no --node-port: no kubelet endpoints).
  `--server-address=${host}:${ports.kwok}`,
];
