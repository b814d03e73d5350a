import type { Container } from "../../../charts-src/lib/k8s.js";
import { tenantPodHardeningName } from "../../../charts-src/platform/policies/tenant-pod-hardening.js";
import {
  acme,
  deployment,
  globex,
  gpuToleration,
  observability,
  ollamaContainer,
  oneGpu,
  openWebUiPod,
  loadBalancerCases,
  pod,
  toolContainer,
} from "./fixtures.js";
import type { PolicySuite } from "./types.js";

const hostNamespaces = "no-host-namespaces";
const hostPath = "no-host-path-volumes";
const privileged = "no-privileged-containers";
const registries = "images-from-allowed-registries";
const loadBalancers = "no-load-balancer-services";

const podRules = [hostNamespaces, hostPath, privileged, registries];
/** Every pod rule passes except those named. */
const podExpect = (...failing: string[]) =>
  Object.fromEntries(podRules.map((rule) => [rule, failing.includes(rule) ? "fail" : "pass"] as const));

const withImage = (image: string, name = "app"): Container => toolContainer(name, image);

export const tenantPodHardeningSuite: PolicySuite = {
  policy: tenantPodHardeningName,
  cases: [
    {
      why: "OpenWebUI as the tenant chart runs it",
      resource: openWebUiPod("acme-openwebui", acme.name, {
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: "openwebui-data" } }],
      }),
      expect: podExpect(),
    },
    {
      why: "a busybox init container resolves to docker.io/library",
      resource: pod("acme-ollama-with-init", acme.name, {
        initContainers: [withImage("busybox:1.36", "wait-for-models")],
        containers: [ollamaContainer()],
        volumes: [{ name: "home", emptyDir: {} }],
      }),
      expect: podExpect(),
    },
    {
      why: "short names of Ollama and images from public ECR",
      resource: pod("acme-ollama-short-names", acme.name, {
        initContainers: [withImage("public.ecr.aws/docker/library/alpine:3.20", "prepare")],
        containers: [{ ...ollamaContainer(), image: "ollama/ollama:0.6.8" }],
      }),
      expect: podExpect(),
    },
    {
      why: "premium GPU Ollama as a Deployment (autogen)",
      resource: deployment("globex-ollama-deploy", globex.name, {
        containers: [ollamaContainer(oneGpu)],
        tolerations: [gpuToleration],
      }),
      expect: podExpect(),
    },
    {
      why: "the node's network namespace",
      resource: pod("acme-host-network", acme.name, { containers: [ollamaContainer()], hostNetwork: true }),
      expect: podExpect(hostNamespaces),
    },
    {
      why: "the node's process namespace",
      resource: pod("acme-host-pid", acme.name, { containers: [ollamaContainer()], hostPID: true }),
      expect: podExpect(hostNamespaces),
    },
    {
      why: "mounting the node's model directory",
      resource: pod("acme-host-path", acme.name, {
        containers: [ollamaContainer()],
        volumes: [{ name: "models", hostPath: { path: "/var/lib/models", type: "Directory" } }],
      }),
      expect: podExpect(hostPath),
    },
    {
      why: "a privileged main container",
      resource: pod("acme-privileged", acme.name, {
        containers: [{ ...ollamaContainer(), securityContext: { privileged: true } }],
      }),
      expect: podExpect(privileged),
    },
    {
      why: "a privileged init container",
      resource: pod("acme-privileged-init", acme.name, {
        initContainers: [{ ...withImage("busybox:1.36", "tune-sysctl"), securityContext: { privileged: true } }],
        containers: [ollamaContainer()],
      }),
      expect: podExpect(privileged),
    },
    {
      why: "an image from a registry nobody vetted",
      resource: pod("acme-quay-image", acme.name, { containers: [withImage("quay.io/cryptominer/xmrig:latest")] }),
      expect: podExpect(registries),
    },
    {
      why: "a look-alike of the Ollama organisation",
      resource: pod("acme-ollama-lookalike", acme.name, {
        containers: [{ ...ollamaContainer(), image: "ollama-official/ollama:0.6.8" }],
      }),
      expect: podExpect(registries),
    },
    {
      why: "an unvetted image in an init container",
      resource: pod("acme-foreign-init", acme.name, {
        initContainers: [withImage("ghcr.io/someone/toolbox:1", "debug")],
        containers: [ollamaContainer()],
      }),
      expect: podExpect(registries),
    },
    ...loadBalancerCases(loadBalancers),
    {
      why: "not a tenant namespace: left to the platform",
      resource: pod("monitoring-node-exporter", observability.name, {
        containers: [withImage("quay.io/prometheus/node-exporter:v1.8.2")],
        hostNetwork: true,
        hostPID: true,
      }),
      expect: Object.fromEntries(podRules.map((rule) => [rule, "skip"] as const)),
    },
  ],
};
