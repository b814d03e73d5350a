/**
 * The ingress controller an operator installs before the tenants (the tenant README's prerequisite), as Traefik's own
 * chart would run it: upstream's ClusterRole from the pinned module, bound to the controller's ServiceAccount in its
 * namespace, an IngressClass `traefik`, one Deployment of the pinned build on the real node, and a Service the host
 * reaches it by. Its entry point `websecure` serves TLS with each tenant's certificate (from the Ingress's TLS
 * Secret) and keeps a request open up to the chart's `exposure.timeoutSeconds` (Traefik's timeouts belong to its
 * entry points, not to an Ingress). Traefik's chart cannot be fetched here, so the suite writes these objects (a
 * stand-in it names).
 */
import { readFileSync } from "node:fs";
import type { LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { parseAllDocuments } from "yaml";
import type {
  ClusterRoleBinding,
  Deployment,
  KubeObject,
  Namespace,
  Secret,
  Service,
  ServiceAccount,
} from "../../charts-src/lib/k8s.js";
import { upstreamFiles } from "../cluster/controllers/upstream-files.js";
import { issueCertificate, type KeyPair } from "../cluster/x509.js";
import { traefikImage } from "../images/catalog.js";
import { crdSources } from "../toolchain/pins.js";
import { goTool } from "../toolchain/tools.js";
import type { Kube } from "../harness/kube.js";
import { waitPodsReady } from "../harness/pods.js";
import { OpenWebUI, type Transport } from "./openwebui-api.js";

export const ingressNamespace = "traefik";
/** The shared Gateway tenants of `exposure.type: gateway` attach to, and its TLS listener (Traefik's `websecure`). */
export const labGateway = { name: "llmcharts", namespace: "traefik", sectionName: "websecure" } as const;
export const ingressClassName = "traefik";
/** The Service's ports: TLS for users, and the controller's own ping. */
export const ingressPorts = { websecure: 443, ping: 8080 } as const;
const name = "traefik";
const serviceAccount = "traefik-ingress-controller";
const labels = { "app.kubernetes.io/name": name };

const upstreamFile = async (name: string): Promise<string> => {
  const tool = goTool("traefik");
  const [file] = await upstreamFiles(tool.module, tool.version, [
    `docs/content/reference/dynamic-configuration/${name}`,
  ]);
  return file ?? "";
};

/**
 * Every CRD of Traefik's CRD provider, from the module: the provider watches all its kinds and serves none while one
 * is missing (so a Middleware would never be applied).
 */
export const ingressControllerCrds = (): Promise<string> => upstreamFile("kubernetes-crd-definition-v1.yml");

/**
 * Upstream's ClusterRoles, as the module ships them (their bindings name `default`): one for the Ingress and CRD
 * providers, one for the Gateway provider.
 */
const upstreamClusterRoles = async (): Promise<KubeObject[]> =>
  Promise.all(
    ["kubernetes-crd-rbac.yml", "kubernetes-gateway-rbac.yml"].map(async (name) => {
      const role = parseAllDocuments(readFileSync(await upstreamFile(name), "utf8"))
        .map((d) => d.toJS() as KubeObject)
        .find((o) => o?.kind === "ClusterRole");
      if (!role) throw new Error(`Traefik's ${name} has no ClusterRole`);
      return role;
    }),
  );

/** A ClusterRole bound to the controller's ServiceAccount in its namespace. */
const boundToController = (role: KubeObject): ClusterRoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: `traefik-${role.metadata?.name}` },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata?.name ?? "" },
  subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: ingressNamespace }],
});

const deployment = (timeoutSeconds: number): Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ingressNamespace, labels },
  spec: {
    replicas: 1,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName: serviceAccount,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 65532,
          runAsGroup: 65532,
          seccompProfile: { type: "RuntimeDefault" },
        },
        containers: [
          {
            name,
            image: traefikImage.config.ref,
            imagePullPolicy: "Never",
            args: [
              "--entryPoints.web.address=:8000",
              "--entryPoints.websecure.address=:8443",
              "--entryPoints.websecure.http.tls=true",
              // Traefik's default read timeout (60 s) would cut a slow upload; writes (streamed answers) have none.
              `--entryPoints.websecure.transport.respondingTimeouts.readTimeout=${timeoutSeconds}s`,
              "--entryPoints.traefik.address=:8080",
              "--ping=true",
              "--providers.kubernetesIngress=true",
              "--providers.kubernetesCRD=true",
              "--providers.kubernetesGateway=true",
              "--log.level=INFO",
            ],
            ports: [
              { name: "websecure", containerPort: 8443 },
              { name: "ping", containerPort: 8080 },
            ],
            readinessProbe: { httpGet: { path: "/ping", port: 8080 }, periodSeconds: 2 },
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "1", memory: "512Mi" } },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ["ALL"] },
            },
            // Request bodies the buffering Middleware holds beyond its memory share go to a temporary file.
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
          },
        ],
        volumes: [{ name: "tmp", emptyDir: {} }],
      },
    },
  },
});

/** Every object of the controller, for `kubectl apply` (and delete). */
export const ingressController = async (timeoutSeconds: number): Promise<KubeObject[]> => {
  const namespace: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: ingressNamespace } };
  const sa: ServiceAccount = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: serviceAccount, namespace: ingressNamespace },
  };
  const roles = await upstreamClusterRoles();
  const ingressClass = {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: { name: ingressClassName },
    spec: { controller: "traefik.io/ingress-controller" },
  };
  const service: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: ingressNamespace, labels },
    spec: {
      selector: labels,
      ports: [
        { name: "websecure", port: ingressPorts.websecure, targetPort: "websecure" },
        { name: "ping", port: ingressPorts.ping, targetPort: "ping" },
      ],
    },
  };
  return [namespace, sa, ...roles, ...roles.map(boundToController), ingressClass, deployment(timeoutSeconds), service];
};

/**
 * Gateway API's CRDs of the pinned release (the kinds Traefik's Gateway provider watches), and Traefik's GatewayClass
 * with one shared Gateway: a TLS listener on the `websecure` entry point's port with the lab hosts' certificate,
 * routes admitted from every namespace (each tenant's HTTPRoute).
 */
export const gatewayApiCrds = async (): Promise<string[]> => {
  const source = crdSources.find((s) => s.name === "gateway-api");
  if (!source) throw new Error("no pinned gateway-api CRD source");
  const kinds = ["gatewayclasses", "gateways", "httproutes", "grpcroutes", "referencegrants", "backendtlspolicies"];
  return upstreamFiles(
    source.module,
    source.version,
    kinds.map((k) => `config/crd/standard/gateway.networking.k8s.io_${k}.yaml`),
  );
};

export const sharedGateway = (serving: KeyPair): KubeObject[] => {
  const certificate = "lab-hosts-tls";
  const gatewayClass = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "GatewayClass",
    metadata: { name: ingressClassName },
    spec: { controllerName: "traefik.io/gateway-controller" },
  };
  const gateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: labGateway.name, namespace: labGateway.namespace },
    spec: {
      gatewayClassName: ingressClassName,
      listeners: [
        {
          name: labGateway.sectionName,
          port: 8443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: certificate }] },
          allowedRoutes: { namespaces: { from: "All" } },
        },
      ],
    },
  };
  const secret = tlsSecret(labGateway.namespace, serving);
  return [{ ...secret, metadata: { ...secret.metadata, name: certificate } }, gatewayClass, gateway];
};

/** The lab's domain: each tenant's users open https://<tenant>.<domain>. */
export const labDomain = "lab.internal";
export const labHost = (tenant: string) => `${tenant}.${labDomain}`;
/** The Secret each lab tenant's values name in `exposure.ingress.tlsSecretName`. */
export const labTlsSecret = "openwebui-tls";

/** A test CA and, signed by it, one serving certificate for every lab host (what cert-manager would issue). */
export const labCertificates = (): { ca: KeyPair; serving: KeyPair } => {
  const ca = issueCertificate({ commonName: "llmcharts runtime ingress CA", ca: true, validDays: 1 });
  const serving = issueCertificate({
    commonName: `*.${labDomain}`,
    usages: ["server"],
    dnsNames: [`*.${labDomain}`],
    issuer: ca,
    validDays: 1,
  });
  return { ca, serving };
};

/** A tenant's TLS Secret, as the Ingress names it. */
export const tlsSecret = (namespace: string, { cert, key }: KeyPair): Secret => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: labTlsSecret, namespace },
  type: "kubernetes.io/tls",
  stringData: { "tls.crt": cert, "tls.key": key },
});

/** The chart's default `exposure.timeoutSeconds`: Traefik's read timeout on its TLS entry point. */
export const labReadTimeoutSeconds = 3600;

/**
 * The controller running as an operator installs it before any tenant (the tenant README's prerequisite): its CRDs
 * and Gateway API's, its objects, the shared Gateway with the lab hosts' certificate, its pod Ready.
 */
export const runIngressController = async (k: Kube, serving: KeyPair): Promise<void> => {
  for (const crds of [await ingressControllerCrds(), ...(await gatewayApiCrds())])
    await k.kubectl(["apply", "--server-side", "-f", crds]);
  await k.apply([...(await ingressController(labReadTimeoutSeconds)), ...sharedGateway(serving)]);
  await waitPodsReady(k, ingressNamespace, "app.kubernetes.io/name=traefik", { timeoutMs: 120_000 });
};

/** The running controller's address (its Service), as the users' DNS would give it for every tenant's host. */
export const labIngress = async (k: Kube, ca: string): Promise<Transport> =>
  throughIngress(
    (await k.kubectl(["get", "service", "traefik", "-n", ingressNamespace, "-o", "jsonpath={.spec.clusterIP}"])).trim(),
    ca,
  );

/** A tenant's OpenWebUI as its users reach it: https://<its host>, through the controller. */
export const atHost = (tenant: string, transport: Transport) => new OpenWebUI(`https://${labHost(tenant)}`, transport);

/**
 * Requests as a tenant's users send them: to https://<their host>, the name resolved to the controller's address (as
 * their DNS would), the certificate checked against the test CA. undici's Agent is what lets a fetch take both.
 */
export const throughIngress = (address: string, ca: string): Transport => {
  const lookup = ((_host, options, callback) =>
    options.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4)) as LookupFunction;
  const agent = new Agent({ connect: { ca, lookup } });
  return {
    fetch: ((url: string, init?: RequestInit) =>
      undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch,
    tls: { ca, lookup },
  };
};
