import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

export interface KubeconfigInput {
  /** Cluster and context name. */
  name: string;
  server: string;
  /** PEM of the CA that signed the API server's serving certificate. */
  ca: string;
  user: string;
  token: string;
}

/** A kubeconfig with one cluster, one bearer-token user and one current context. */
export const kubeconfig = (k: KubeconfigInput): string =>
  stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: k.name,
        cluster: { server: k.server, "certificate-authority-data": Buffer.from(k.ca).toString("base64") },
      },
    ],
    users: [{ name: k.user, user: { token: k.token } }],
    contexts: [{ name: k.name, context: { cluster: k.name, user: k.user } }],
    "current-context": k.name,
  });

/** Writes a kubeconfig readable by its owner only (it holds a token). */
export const writeKubeconfig = (path: string, k: KubeconfigInput): void => {
  writeFileSync(path, kubeconfig(k), { mode: 0o600 });
};
