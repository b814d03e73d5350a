import type { Helpers } from "../lib/engine/index.js";
import type { NodeTier } from "../lib/conventions.js";
import { modelCacheMountPath, tierCatalogDir } from "../lib/model-cache.js";
import {
  identityOf,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  scratchDirs,
} from "../lib/pod-security.js";
import type { Container, Deployment, DeploymentSpec, PodSpec, ResourceRequirements, Service } from "../lib/k8s.js";
import {
  containerMountOverrides,
  podPlacementOverrides,
  podSpreadOverride,
  withExtraEnv,
  withExtraVolumes,
} from "../lib/pod-overrides.js";
import { execProbe, httpProbe, imageRef, probeTiming } from "../lib/workload.js";
import { imagePullSecrets, names, namespaced, podLabels, ports, selectorLabels, workloadSpread } from "./identity.js";
import { meshedPodMetadata } from "./mesh.js";
import type { TenantValues } from "./values.js";

/**
 * The shape both Ollama tiers share: a non-root server (uid 10002 by default, `ollama.runAs`) with a read-only root filesystem, HOME and /tmp on
 * emptyDir, models read from the tier's own catalog in the platform's shared cache, mounted read-only (a new pod never downloads a model), and
 * no Service links (Kubernetes would otherwise inject OLLAMA_*-looking variables for the Services).
 *
 * Readiness is model-specific: an exec probe runs the image's own `ollama show <model>` (no shell involved), which
 * fails until the tier's model is present in the cache and readable. `/api/tags` would only prove that the server
 * answers, which the startup and liveness probes (`/api/version`) already do.
 */

export type OllamaWorkload = "ollama-standard" | "ollama-premium";

/** What differs between the tiers. */
export interface OllamaTier {
  workload: OllamaWorkload;
  /** The node tier, and the cache's catalog directory the pods read. */
  tier: NodeTier;
  /** Node affinity, tolerations and priority: the tier's pool. */
  scheduling: Required<Pick<PodSpec, "affinity" | "tolerations" | "priorityClassName">>;
  settings: {
    model: string;
    keepAlive: string;
    numParallel: number;
    maxLoadedModels: number;
  };
  resources: ResourceRequirements;
  /** Pod-spec fields of this tier only (grace period, ...). */
  podExtras?: Partial<PodSpec>;
  /** Container fields of this tier only (lifecycle, ...). */
  containerExtras?: Partial<Container>;
  /** Rollout strategy, when the default (one surge pod, none unavailable) does not fit the tier. */
  strategy?: DeploymentSpec["strategy"];
}

export const ollamaDeployment = (v: TenantValues, h: Helpers, t: OllamaTier): Deployment => {
  const selector = selectorLabels(h, t.workload);
  const scratch = scratchDirs([
    { name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi" },
    { name: "home", mountPath: "/home/ollama", sizeLimit: "256Mi" },
  ]);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: namespaced(v, h, t.workload, t.workload),
    spec: {
      replicas: h.comment(
        "No replicas: the HPA (standard) or KEDA (premium) owns the count; a value here would fight them on upgrade.",
      ),
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector },
      strategy: t.strategy ?? { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: meshedPodMetadata(v, h, podLabels(v, h, t.workload, t.workload), v.ollama),
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...imagePullSecrets(v, h),
          securityContext: restrictedPodSecurityContext(identityOf(v.ollama.runAs)),
          ...t.scheduling,
          ...podPlacementOverrides(h, t.scheduling.tolerations, v.ollama),
          topologySpreadConstraints: podSpreadOverride(h, workloadSpread(h, t.workload), selector, v.ollama),
          ...t.podExtras,
          containers: [
            {
              name: "ollama",
              image: imageRef(h, v.ollama.image, v.global),
              imagePullPolicy: v.ollama.image.pullPolicy,
              ports: [{ name: "http", containerPort: ports.ollama, protocol: "TCP" }],
              env: withExtraEnv(
                h,
                [
                  ...serverEnv(h),
                  { name: "OLLAMA_KEEP_ALIVE", value: t.settings.keepAlive },
                  { name: "OLLAMA_NUM_PARALLEL", value: `${t.settings.numParallel}` },
                  { name: "OLLAMA_MAX_LOADED_MODELS", value: `${t.settings.maxLoadedModels}` },
                ],
                v.ollama,
              ),
              resources: t.resources,
              securityContext: restrictedContainerSecurityContext(h),
              ...serverProbes(v, h),
              readinessProbe: execProbe(["ollama", "show", t.settings.model], probeTiming(v.ollama.readinessProbe)),
              ...t.containerExtras,
              ...containerMountOverrides(
                h,
                [
                  h.comment("Only this tier's catalog: the other tier's models are not even listed.", {
                    name: "model-cache",
                    mountPath: modelCacheMountPath,
                    subPath: tierCatalogDir(t.tier),
                    readOnly: true,
                  }),
                  ...scratch.mounts,
                ],
                v.ollama,
              ),
            },
          ],
          volumes: h.partial(
            "ollama.volumes",
            () =>
              withExtraVolumes(
                h,
                [
                  { name: "model-cache", persistentVolumeClaim: { claimName: names.modelCache, readOnly: true } },
                  ...scratch.volumes,
                ],
                v.ollama,
              ),
            "Both tiers: the platform's model cache, read-only, scratch space for HOME and /tmp, and the operator's extra volumes.",
          ),
        },
      },
    },
  };
};

/** The server's settings both tiers share: where it listens, where its models are. */
const serverEnv = (h: Helpers) =>
  h.partial(
    "ollama.env",
    () => [
      { name: "OLLAMA_HOST", value: `0.0.0.0:${ports.ollama}` },
      { name: "OLLAMA_MODELS", value: modelCacheMountPath },
      { name: "HOME", value: "/home/ollama" },
      h.comment("The cache is read-only and shared: never prune blobs another tenant's model may use.", {
        name: "OLLAMA_NOPRUNE",
        value: "true",
      }),
    ],
    "Both tiers: where the server listens and finds its models.",
  );

/** Startup and liveness ask whether the server answers; readiness (per tier) whether its model is there. */
const serverProbes = (v: TenantValues, h: Helpers) =>
  h.partial(
    "ollama.serverProbes",
    () => ({
      startupProbe: httpProbe("/api/version", "http", probeTiming(v.ollama.startupProbe)),
      livenessProbe: httpProbe("/api/version", "http", probeTiming(v.ollama.livenessProbe)),
    }),
    "Both tiers: started and alive while the server answers; ready (per tier) once its model is in the cache.",
  );

export const ollamaService = (v: TenantValues, h: Helpers, workload: OllamaWorkload): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: namespaced(v, h, workload, workload),
  spec: {
    type: "ClusterIP",
    selector: selectorLabels(h, workload),
    ports: [{ name: "http", port: ports.ollama, targetPort: "http", protocol: "TCP" }],
  },
});
