/**
 * Credentials of a local cluster, made without openssl:
 * - every client (admin, controller-manager, scheduler, kwok) authenticates with a static bearer token
 *   (kube-apiserver `--token-auth-file`);
 * - kube-apiserver self-signs its serving certificate into `--cert-dir`; the CA that signed it is read back from
 *   that bundle and becomes the kubeconfigs' certificate authority;
 * - the service-account token signing key pair comes from Node's crypto;
 * - the aggregation layer's front proxy: a CA of its own (Kubernetes' docs warn against reusing the cluster's) and
 *   the client certificate the API server presents to extension API servers, which trust the user it names in its
 *   request headers because that CA signed it (x509.ts makes both).
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ClusterPaths } from "./paths.js";
import { issueCertificate } from "./x509.js";

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
  writeFrontProxyCredentials(paths);
  writeUnusedClientCa(paths);
};

/** The name the front proxy's client certificate carries; extension API servers accept only this one. */
export const frontProxyClientName = "front-proxy-client";

/**
 * A client CA whose key is thrown away, so it signs no client certificate: clients use tokens. The API server
 * publishes it as client-ca-file in the extension-apiserver-authentication ConfigMap, where extension API servers
 * expect one (without it they log its absence over and over).
 */
const writeUnusedClientCa = (paths: ClusterPaths): void => {
  writePrivate(paths.clientCa, issueCertificate({ commonName: "llmcharts-client-ca", ca: true }).cert);
};

const writeFrontProxyCredentials = (paths: ClusterPaths): void => {
  const ca = issueCertificate({ commonName: "llmcharts-front-proxy-ca", ca: true });
  const client = issueCertificate({ commonName: frontProxyClientName, usages: ["client"], issuer: ca });
  writePrivate(paths.frontProxy.ca, ca.cert);
  writePrivate(paths.frontProxy.clientCert, client.cert);
  writePrivate(paths.frontProxy.clientKey, client.key);
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
