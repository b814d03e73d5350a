import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterPaths } from "../paths.js";
import { issueCertificate, type KeyPair } from "../x509.js";

/** The cluster's CA for the controllers' serving certificates (made on first use); APIServices carry it. */
export const controllersCa = (paths: ClusterPaths): KeyPair => {
  const { cert, key } = paths.controllersCa;
  if (!existsSync(cert)) {
    const ca = issueCertificate({ commonName: "llmcharts-controllers-ca", ca: true });
    writeFileSync(cert, ca.cert, { mode: 0o600 });
    writeFileSync(key, ca.key, { mode: 0o600 });
  }
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
};

/** Where a controller finds its certificate: `ca.crt`, `tls.crt` and `tls.key`, the names KEDA reads. */
export interface CertDir {
  dir: string;
  ca: string;
  cert: string;
  key: string;
  /** The CA's certificate itself (PEM), for the APIService's caBundle. */
  caPem: string;
}

/**
 * A serving (and client) certificate for a controller, signed by the controllers' CA, written into its directory.
 * The aggregator checks a backend's certificate against the APIService's caBundle for the name
 * `<service>.<namespace>.svc`, so each of the controller's Services is named in it.
 */
export const writeControllerCertificate = (
  paths: ClusterPaths,
  controller: string,
  services: { name: string; namespace: string }[],
  hostIp: string,
): CertDir => {
  const ca = controllersCa(paths);
  const dir = paths.controllerDir(controller);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pair = issueCertificate({
    commonName: controller,
    // KEDA's operator and metrics server also authenticate each other with it (mutual TLS over gRPC).
    usages: ["server", "client"],
    dnsNames: services.map((s) => `${s.name}.${s.namespace}.svc`),
    ipAddresses: [hostIp],
    issuer: ca,
  });
  const files = { dir, ca: join(dir, "ca.crt"), cert: join(dir, "tls.crt"), key: join(dir, "tls.key"), caPem: ca.cert };
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.cert, pair.cert);
  writeFileSync(files.key, pair.key, { mode: 0o600 });
  return files;
};
