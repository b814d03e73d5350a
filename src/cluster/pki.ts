/**
 * Credentials of a local cluster, made without openssl or client certificates:
 * - every client (admin, controller-manager, scheduler, kwok) authenticates with a static bearer token
 *   (kube-apiserver `--token-auth-file`);
 * - kube-apiserver self-signs its serving certificate into `--cert-dir`; the CA that signed it is read back from
 *   that bundle and becomes the kubeconfigs' certificate authority;
 * - the service-account token signing key pair comes from Node's crypto.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ClusterPaths } from "./paths.js";

/** One identity of the token file. */
export interface TokenUser {
  token: string;
  user: string;
  groups: string[];
}

/** The identities every cluster has; the component users match the RBAC bindings kube-apiserver bootstraps. */
export interface ClusterUsers {
  admin: TokenUser;
  controllerManager: TokenUser;
  scheduler: TokenUser;
  kwok: TokenUser;
}

const newToken = (): string => randomBytes(24).toString("hex");

/**
 * The identities of the real nodes' components, by the name their kubeconfig is asked for: each kubelet is
 * `system:node:<name>` in `system:nodes` (so the Node authorizer and NodeRestriction apply).
 */
export const nodeUsers = (nodeNames: string[]): Record<string, TokenUser> => ({
  ...Object.fromEntries(
    nodeNames.map((n) => [`kubelet:${n}`, { token: newToken(), user: `system:node:${n}`, groups: ["system:nodes"] }]),
  ),
  // Bound to system:node-proxier by the API server's bootstrap policy.
  "kube-proxy": { token: newToken(), user: "system:kube-proxy", groups: [] },
  // It reads pods, namespaces and policies everywhere and writes nothing but its node's annotations.
  "kube-router": { token: newToken(), user: "llmcharts-kube-router", groups: ["system:masters"] },
});

export const newUsers = (): ClusterUsers => ({
  admin: { token: newToken(), user: "llmcharts-admin", groups: ["system:masters"] },
  controllerManager: { token: newToken(), user: "system:kube-controller-manager", groups: [] },
  scheduler: { token: newToken(), user: "system:kube-scheduler", groups: [] },
  // kwok patches node and pod status, leases and events of every fake node; system:masters is what kwokctl gives it.
  kwok: { token: newToken(), user: "llmcharts-kwok", groups: ["system:masters"] },
});

/** kube-apiserver's static token file: `token,user,uid,"group1,group2"` per line. */
export const tokenFile = (users: ClusterUsers & Record<string, TokenUser>): string =>
  `${Object.values(users)
    .map((u: TokenUser) =>
      [u.token, u.user, u.user, ...(u.groups.length > 0 ? [`"${u.groups.join(",")}"`] : [])].join(","),
    )
    .join("\n")}\n`;

const writePrivate = (path: string, content: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
};

/** Writes the token file and the service-account signing key pair. */
export const writeCredentials = (paths: ClusterPaths, users: ClusterUsers & Record<string, TokenUser>): void => {
  writePrivate(paths.tokens, tokenFile(users));
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  writePrivate(paths.saKey, privateKey);
  writePrivate(paths.saPub, publicKey);
};

const pemBlocks = (bundle: string): string[] =>
  bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((b) => `${b}\n`) ?? [];

/**
 * The CA of kube-apiserver's self-signed serving bundle (the serving certificate followed by its CA), or undefined
 * while the bundle is missing or incomplete.
 */
export const caOfServingBundle = (bundlePath: string): string | undefined => {
  let bundle: string;
  try {
    bundle = readFileSync(bundlePath, "utf8");
  } catch {
    return undefined;
  }
  const certs = pemBlocks(bundle);
  const ca = certs.find((pem) => {
    try {
      return new X509Certificate(pem).ca;
    } catch {
      return false;
    }
  });
  const leaf = certs.find((pem) => pem !== ca);
  if (ca === undefined || leaf === undefined) return undefined;
  return new X509Certificate(leaf).checkIssued(new X509Certificate(ca)) ? ca : undefined;
};
