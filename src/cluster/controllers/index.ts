/**
 * The platform's controllers, run by the cluster as host processes next to its control plane (started by pid,
 * logged under its directory, stopped by `cluster down`): metrics-server (metrics.k8s.io, what CPU and memory HPAs
 * read), KEDA (its operator, and external.metrics.k8s.io, what its ScaledObjects' HPAs read) and Karpenter with its
 * kwok provider (nodes for pending pods, from the NodePools that refer to its node class), External Secrets
 * with the moto server it reads tenants' secrets from (AWS Secrets Manager and STS on loopback), Reloader (rolls
 * out the workloads that name a Secret that changed: a rotation External Secrets synced reaches OpenWebUI), and the
 * Prometheus Operator (Prometheus and Alertmanager as StatefulSets, configured by the platform chart's monitoring
 * objects).
 */
import { randomBytes } from "node:crypto";
import type { TokenUser } from "../pki.js";
import type { ControllerContext } from "./context.js";
import { externalSecretsUser, startExternalSecrets } from "./external-secrets.js";
import { karpenterUser, startKarpenter } from "./karpenter.js";
import { kedaUser, startKeda } from "./keda.js";
import { metricsServerUser, startMetricsServer } from "./metrics-server.js";
import { prometheusOperatorUser, startPrometheusOperator } from "./prometheus-operator.js";
import { reloaderUser, startReloader } from "./reloader.js";

export type { ControllerContext } from "./context.js";

export const controllerNames = [
  "metrics-server",
  "keda",
  "karpenter",
  "external-secrets",
  "reloader",
  "prometheus-operator",
] as const;
export type ControllerName = (typeof controllerNames)[number];

/** Each controller's processes, by the names their logs and failures carry (extra flags are given per process). */
export const controllerProcesses = {
  "metrics-server": ["metrics-server"],
  keda: ["keda-operator", "keda-adapter"],
  karpenter: ["karpenter"],
  "external-secrets": ["moto", "external-secrets"],
  reloader: ["reloader"],
  "prometheus-operator": ["prometheus-operator"],
} as const satisfies Record<ControllerName, readonly string[]>;
export type ControllerProcess = (typeof controllerProcesses)[ControllerName][number];

const identities = {
  "metrics-server": metricsServerUser,
  keda: kedaUser,
  karpenter: karpenterUser,
  "external-secrets": externalSecretsUser,
  reloader: reloaderUser,
  "prometheus-operator": prometheusOperatorUser,
} satisfies Record<ControllerName, { serviceAccount: string; namespace: string; groups?: string[] }>;

/**
 * The controllers' identities, for the API server's token file (read once, at its start): each is the
 * ServiceAccount upstream's manifests run it as, so upstream's RBAC bindings grant it what they grant in a cluster.
 */
export const controllerUsers = (controllers: readonly ControllerName[]): Record<string, TokenUser> =>
  Object.fromEntries(
    controllers.map((c) => {
      const { serviceAccount, namespace, ...identity } = identities[c];
      const extraGroups = "groups" in identity ? identity.groups : [];
      return [
        `controller:${c}`,
        {
          token: randomBytes(24).toString("hex"),
          user: `system:serviceaccount:${namespace}:${serviceAccount}`,
          groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, ...extraGroups],
        },
      ];
    }),
  );

const starters: Record<ControllerName, (ctx: ControllerContext) => Promise<void>> = {
  "metrics-server": startMetricsServer,
  keda: startKeda,
  karpenter: startKarpenter,
  "external-secrets": startExternalSecrets,
  reloader: startReloader,
  "prometheus-operator": startPrometheusOperator,
};

/** Starts the controllers one after the other; each returns once it is ready (its APIService Available, if any). */
export const startControllers = async (ctx: ControllerContext, controllers: readonly ControllerName[]) => {
  for (const c of controllers) await starters[c](ctx);
};

/** Refuses names that are no controller's, naming the known ones. */
export const checkControllerNames = (names: readonly string[]): ControllerName[] => {
  const unknown = names.filter((n) => !(controllerNames as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown controller ${unknown.join(", ")}; known: ${controllerNames.join(", ")}`);
  }
  return [...new Set(names)] as ControllerName[];
};
