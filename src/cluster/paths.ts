import { join } from "node:path";
import { cacheRoot } from "../toolchain/cache.js";

/** Every file of one local cluster, all under its state directory. */
export interface ClusterPaths {
  dir: string;
  state: string;
  logs: string;
  etcdData: string;
  /** kube-apiserver writes its self-signed serving certificate (and the CA that signed it) here. */
  apiserverCertDir: string;
  apiserverCert: string;
  ca: string;
  tokens: string;
  saKey: string;
  saPub: string;
  /** The aggregation layer's request-header CA and the API server's client certificate signed by it. */
  frontProxy: { ca: string; clientCert: string; clientKey: string };
  /** The client CA the API server publishes: one that signs nothing (see pki.ts). */
  clientCa: string;
  /** The CA of the controllers' serving certificates, trusted by their APIServices. */
  controllersCa: { cert: string; key: string };
  /** A controller's own directory (its certificates). */
  controllerDir: (controller: string) => string;
  kwokConfig: string;
  /** The admin kubeconfig handed to users. */
  kubeconfig: string;
  componentKubeconfig: (component: string) => string;
  log: (component: string) => string;
}

const validName = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

/** Rejects names that could escape the clusters directory or confuse a shell. */
export const checkClusterName = (name: string): string => {
  if (!validName.test(name) || name.includes("..")) {
    throw new Error(`invalid cluster name "${name}": use lower-case letters, digits, ".", "_" or "-" (at most 63)`);
  }
  return name;
};

export const clustersRoot = (): string => join(cacheRoot(), "clusters");

export const clusterPaths = (name: string): ClusterPaths => {
  const dir = join(clustersRoot(), checkClusterName(name));
  const pki = join(dir, "pki");
  return {
    dir,
    state: join(dir, "state.json"),
    logs: join(dir, "logs"),
    etcdData: join(dir, "etcd"),
    apiserverCertDir: join(pki, "apiserver"),
    apiserverCert: join(pki, "apiserver", "apiserver.crt"),
    ca: join(pki, "ca.crt"),
    tokens: join(pki, "tokens.csv"),
    saKey: join(pki, "sa.key"),
    saPub: join(pki, "sa.pub"),
    frontProxy: {
      ca: join(pki, "front-proxy-ca.crt"),
      clientCert: join(pki, "front-proxy-client.crt"),
      clientKey: join(pki, "front-proxy-client.key"),
    },
    clientCa: join(pki, "client-ca.crt"),
    controllersCa: { cert: join(pki, "controllers-ca.crt"), key: join(pki, "controllers-ca.key") },
    controllerDir: (controller) => join(dir, "controllers", controller),
    kwokConfig: join(dir, "kwok.yaml"),
    kubeconfig: join(dir, "kubeconfig"),
    componentKubeconfig: (component) => join(dir, `${component}.kubeconfig`),
    log: (component) => join(dir, "logs", `${component}.log`),
  };
};
