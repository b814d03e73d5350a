import { modelCacheStorageClass, platformNamespace } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Job, NetworkPolicy, PersistentVolume, PersistentVolumeClaim } from "../lib/k8s.js";
import {
  efsVolumeHandle,
  modelAnnotation,
  modelCacheMountPath,
  modelCacheWriter,
  tierCatalogDir,
} from "../lib/model-cache.js";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchDirs } from "../lib/pod-security.js";
import { imagePullSecretsOf, imageRef } from "../lib/workload.js";
import { chartName, platformLabels } from "./metadata.js";
import { platformEgress } from "./namespace.js";
import type { PlatformValues } from "./values.js";

/** The pull Jobs' pods carry this component label; the egress NetworkPolicy selects them by it. */
const pullComponent = "model-pull";

/**
 * What a pull needs: cluster DNS, and the registry (HTTPS, or a mirror's ports), or only the proxy when there is one.
 * EFS needs no rule: the node's CSI driver mounts it, not the pod. The registry's addresses change (it sits behind a
 * CDN), so the default range is the internet minus private ranges; a proxy or mirror with fixed addresses narrows it.
 */
const pullEgress = (v: PlatformValues, h: Helpers): NetworkPolicy =>
  platformEgress(h, "model-pull-egress", pullComponent, [
    h.when(
      h.isSet(v.modelCache.httpsProxy.url),
      {
        to: [{ ipBlock: { cidr: v.modelCache.httpsProxy.cidr } }],
        ports: [{ protocol: "TCP", port: v.modelCache.httpsProxy.port }],
      },
      {
        to: h.each(v.modelCache.registryEgress, (block) => ({
          ipBlock: { cidr: block.cidr, except: h.when(h.isSet(block.except), block.except) },
        })),
        ports: h.each(v.modelCache.registryPorts, (port) => ({ protocol: "TCP", port })),
      },
    ),
  ]);

/**
 * The writer's volume: a static PersistentVolume onto the cache's access point, pre-bound to its one claim so no
 * other claim can take it. Tenants mount the same access point read-only through volumes of their own.
 */
const writerVolume = (v: PlatformValues, h: Helpers): PersistentVolume => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name: modelCacheWriter.persistentVolume, labels: platformLabels(h, "model-cache") },
  spec: {
    capacity: { storage: v.modelCache.size },
    accessModes: ["ReadWriteMany"],
    persistentVolumeReclaimPolicy: "Retain",
    storageClassName: modelCacheStorageClass,
    volumeMode: "Filesystem",
    csi: h.when(h.eq(v.modelCache.source, "efs"), {
      driver: "efs.csi.aws.com",
      volumeHandle: efsVolumeHandle(v.modelCache.fileSystemId, v.modelCache.accessPointId),
    }),
    // A one-node lab: the cache is a directory of the node, which the tenants' volumes name too.
    hostPath: h.when(h.eq(v.modelCache.source, "hostPath"), { path: v.modelCache.hostPath, type: "Directory" }),
    claimRef: { namespace: platformNamespace, name: modelCacheWriter.claim },
  },
});

const writerClaim = (v: PlatformValues, h: Helpers): PersistentVolumeClaim => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: modelCacheWriter.claim, namespace: platformNamespace, labels: platformLabels(h, "model-cache") },
  spec: {
    accessModes: ["ReadWriteMany"],
    storageClassName: modelCacheStorageClass,
    volumeName: modelCacheWriter.persistentVolume,
    resources: { requests: { storage: v.modelCache.size } },
  },
});

/**
 * Start a private Ollama server, wait for it, pull one model into the cache: from Ollama's registry, or from the
 * mirror (then saved under its catalog name, the name tenants ask for, and the mirror's name dropped). The model
 * comes in through the environment, never spliced into the script. A failed pull ends with one line naming the
 * model, where it came from and Ollama's reason: the pod's termination message, shown on the Job's pod.
 */
const pullScript = [
  "set -eu",
  "ollama serve >/tmp/ollama-serve.log 2>&1 &",
  "server=$!",
  "tries=0",
  "until ollama list >/dev/null 2>&1; do",
  '  tries=$((tries + 1)); if [ "$tries" -gt 60 ]; then cat /tmp/ollama-serve.log; exit 1; fi; sleep 1',
  "done",
  'pulled="$MODEL"',
  'if [ -n "$MIRROR" ]; then',
  '  case "$MODEL" in */*) pulled="$MIRROR/$MODEL" ;; *) pulled="$MIRROR/library/$MODEL" ;; esac',
  "fi",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's parameter expansion, not a template
  'if ! ollama pull ${INSECURE:+--insecure} "$pulled" 2>/tmp/pull.err; then',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's parameter expansion, not a template
  '  echo "model-pull: could not pull $MODEL from ${MIRROR:-the Ollama registry}: $(tail -n 1 /tmp/pull.err)" >&2',
  "  exit 1",
  "fi",
  'if [ "$pulled" != "$MODEL" ]; then',
  '  ollama cp "$pulled" "$MODEL"',
  '  ollama rm "$pulled"',
  "fi",
  'kill "$server"',
].join("\n");

/** Ollama writes its key pair under HOME and its server log here; the root filesystem is read-only. */
const scratch = scratchDirs([{ name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi" }]);

/** Proxy environment of a pull, when a proxy is set; the CLI reaches its own server on loopback directly. */
const proxyEnv = (v: PlatformValues, h: Helpers) => {
  const proxy = v.modelCache.httpsProxy;
  return [
    h.when(h.isSet(proxy.url), { name: "HTTPS_PROXY", value: proxy.url }),
    h.when(h.isSet(proxy.url), {
      name: "NO_PROXY",
      value: h.join(h.concat(["localhost", "127.0.0.1"], proxy.noProxy), ","),
    }),
  ];
};

/**
 * One Job per catalog model. Its name is a hash of what the pull depends on (model, its tier's directory, image,
 * identity, resources, proxy, placement), so an unchanged catalog keeps its Jobs and a new model gets a new one. The hash covers every
 * value in the pod template, because a Job's pod template is immutable: changing one under a kept name would make
 * the upgrade fail. The rest of the template is fixed in code; a change to it here must change the hashed text too.
 */
const pullJob = (v: PlatformValues, h: Helpers, model: PlatformValues["modelCache"]["models"][number]): Job => {
  const cache = v.modelCache;
  const image = imageRef(h, cache.image, v.global);
  const reference = `${model.name}:${model.tag}`;
  const podSettings = h.toJson({
    resources: cache.resources,
    proxy: cache.httpsProxy,
    mirror: cache.mirror,
    nodeSelector: cache.nodeSelector,
    tolerations: cache.tolerations,
  });
  const catalog = `${modelCacheMountPath}/${tierCatalogDir(model.tier)}`;
  const name = `model-pull-${h.shortHash(`${reference} ${catalog} ${image} ${cache.uid}:${cache.gid} ${podSettings}`)}`;
  const labels = platformLabels(h, pullComponent);
  // A Job's pod template is immutable: its labels leave out helm.sh/chart, which changes with every chart version.
  const podLabels = {
    "app.kubernetes.io/name": chartName,
    "app.kubernetes.io/instance": h.release.name,
    "app.kubernetes.io/component": pullComponent,
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: platformNamespace,
      labels,
      annotations: {
        [modelAnnotation]: reference,
        "llmcharts.io/model-tier": model.tier,
        "llmcharts.io/model-size-gib": `${model.sizeGiB}`,
      },
    },
    spec: {
      backoffLimit: cache.backoffLimit,
      activeDeadlineSeconds: cache.activeDeadlineSeconds,
      ttlSecondsAfterFinished: cache.ttlSecondsAfterFinished,
      template: {
        metadata: { labels: podLabels, annotations: { [modelAnnotation]: reference } },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // The access point writes every file as uid:gid whatever the pod runs as; the pod takes the same identity.
          securityContext: restrictedPodSecurityContext({ uid: cache.uid, gid: cache.gid, fsGroup: cache.gid }),
          nodeSelector: h.when(h.isSet(cache.nodeSelector), cache.nodeSelector),
          tolerations: h.when(h.isSet(cache.tolerations), cache.tolerations),
          ...imagePullSecretsOf(h, v.global.imagePullSecrets),
          containers: [
            {
              name: "pull",
              image,
              imagePullPolicy: cache.image.pullPolicy,
              command: ["/bin/sh", "-c", pullScript],
              env: [
                { name: "MODEL", value: reference },
                // The tier's own models tree: the tier's Ollama mounts only that one.
                { name: "OLLAMA_MODELS", value: catalog },
                { name: "OLLAMA_HOST", value: "127.0.0.1:11434" },
                { name: "HOME", value: "/tmp" },
                // Pruning at start-up could delete the half-written blobs of a pull running in parallel.
                { name: "OLLAMA_NOPRUNE", value: "1" },
                { name: "MIRROR", value: cache.mirror.registry },
                h.when(cache.mirror.insecure, { name: "INSECURE", value: "true" }),
                ...proxyEnv(v, h),
              ],
              // The failed pull's last line is the pod's termination message, which the Job's pod shows.
              terminationMessagePolicy: "FallbackToLogsOnError",
              resources: {
                requests: {
                  cpu: cache.resources.requests.cpu,
                  memory: cache.resources.requests.memory,
                  "ephemeral-storage": "256Mi",
                },
                limits: {
                  cpu: cache.resources.limits.cpu,
                  memory: cache.resources.limits.memory,
                  "ephemeral-storage": "1Gi",
                },
              },
              securityContext: restrictedContainerSecurityContext(h),
              volumeMounts: [{ name: "model-cache", mountPath: modelCacheMountPath }, ...scratch.mounts],
            },
          ],
          volumes: [
            { name: "model-cache", persistentVolumeClaim: { claimName: modelCacheWriter.claim } },
            ...scratch.volumes,
          ],
        },
      },
    },
  };
};

/** Everything the cache needs, when it is enabled: its volume, its claim, the egress rule and the pull Jobs. */
export const modelCache = (v: PlatformValues, h: Helpers) => [
  h.when(v.modelCache.enabled, [
    writerVolume(v, h),
    writerClaim(v, h),
    pullEgress(v, h),
    h.each(v.modelCache.models, (model) => pullJob(v, h, model)),
  ]),
];
