import { labels } from "../lib/conventions.js";
import type { Helpers } from "../lib/engine/index.js";
import type { Container, Pod } from "../lib/k8s.js";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../lib/pod-security.js";
import { imageRef } from "../lib/workload.js";
import {
  hasPremium,
  hasStandard,
  imagePullSecrets,
  names,
  namespaced,
  onStandardNodes,
  ports,
  tenantLabels,
} from "./identity.js";
import { premiumOllamaUrl } from "./premium-wake.js";
import type { TenantValues } from "./values.js";

/**
 * `helm test`: a Pod that calls OpenWebUI's /health and each Ollama the way OpenWebUI does. It carries
 * OpenWebUI's component label, so the tenant's real NetworkPolicies decide whether the calls go through (a broken
 * policy fails the test), but not OpenWebUI's name label, so no Service, PDB or autoscaler ever selects it. One
 * container per check (they run side by side; the Pod succeeds only if every one does), each asking with wget until
 * it answers, bounded by `timeout` rather than wget's own `-T`: Debian's busybox-static 1.35 crashes on `wget -T`.
 * A broken policy still fails: every try is refused until the deadline.
 */

const nobody = { uid: 65534, gid: 65534, fsGroup: 65534 };

const check = (
  v: TenantValues,
  h: Helpers,
  name: string,
  url: string,
  seconds: number | string = 10,
  wget: string[] = [],
): Container => ({
  name,
  image: imageRef(h, v.tests.image, v.global),
  imagePullPolicy: v.tests.image.pullPolicy,
  // Asked again each second until the deadline: a new pod's NetworkPolicy rules may reach the node after it starts.
  command: [
    "timeout",
    `${seconds}`,
    "sh",
    "-c",
    `until wget -O /dev/null "$@"; do sleep 1; done`,
    "check",
    ...wget,
    url,
  ],
  resources: {
    requests: { cpu: "10m", memory: "16Mi", "ephemeral-storage": "16Mi" },
    limits: { cpu: "100m", memory: "32Mi", "ephemeral-storage": "64Mi" },
  },
  securityContext: restrictedContainerSecurityContext(h),
});

const testPod = (v: TenantValues, h: Helpers): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    ...namespaced(v, h, names.test, "openwebui", {
      chart: { "helm.sh/hook": "test", "helm.sh/hook-delete-policy": "before-hook-creation" },
    }),
    labels: {
      "app.kubernetes.io/name": names.test,
      "app.kubernetes.io/instance": h.release.name,
      "app.kubernetes.io/managed-by": "Helm",
      [labels.component]: "openwebui",
      ...tenantLabels(v, h),
    },
  },
  spec: {
    restartPolicy: "Never",
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...imagePullSecrets(v, h),
    securityContext: restrictedPodSecurityContext(nobody),
    affinity: onStandardNodes(h),
    containers: [
      check(v, h, "openwebui-health", `http://${names.openwebui}:${ports.openwebuiService}/health`),
      h.when(
        hasStandard(v, h),
        check(v, h, "ollama-standard-version", `http://${names.ollamaStandard}:${ports.ollama}/api/version`),
      ),
      // Premium as OpenWebUI reaches it, through its wake-up proxy: loading the model (a generate without a prompt)
      // wakes premium from zero and waits for it, as a first chat would.
      h.when(
        h.and(hasPremium(v, h), v.tests.checkPremium),
        check(v, h, "ollama-premium-generate", `${premiumOllamaUrl}/api/generate`, v.ollama.premium.wake.holdSeconds, [
          "--post-data",
          h.toJson({ model: v.ollama.premium.model, stream: false }),
        ]),
      ),
    ],
  },
});

export const testsTemplate = (v: TenantValues, h: Helpers) => [h.when(v.tests.enabled, testPod(v, h))];
