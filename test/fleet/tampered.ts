import { writeFileSync } from "node:fs";
import type { Deployment, KubeObject, Service } from "../../charts-src/lib/k8s.js";
import { documents } from "../../src/validate/documents.js";
import type { Rendering } from "../../src/validate/renderings.js";

/** A rendering with some of its objects changed, as a chart bug could change them, written beside the original. */
export const tampered = (r: Rendering, change: (o: KubeObject) => void): Rendering => {
  const objects = structuredClone(documents(r));
  objects.forEach(change);
  const file = `${r.file}.tampered.yaml`;
  writeFileSync(file, objects.map((o) => JSON.stringify(o)).join("\n---\n"));
  return { fixture: r.fixture, file };
};

/** Breaks tenant-pod-hardening on a workload, through Kyverno's autogen rules: a privileged container. */
export const privileged = (o: KubeObject) => {
  const container = o.kind === "Deployment" ? (o as Deployment).spec?.template.spec?.containers[0] : undefined;
  if (container) container.securityContext = { ...container.securityContext, privileged: true };
};

/** Breaks tenant-pod-hardening on a Service: type LoadBalancer. */
export const loadBalancer = (o: KubeObject) => {
  if (o.kind === "Service") (o as Service).spec = { ...(o as Service).spec, type: "LoadBalancer" };
};

/** Breaks tenant-namespace-labels: the Namespace without its Pod Security level. */
export const unlabelled = (o: KubeObject) => {
  if (o.kind === "Namespace") delete o.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
};
