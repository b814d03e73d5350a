/** Rendered manifests: Helm's multi-document YAML, as objects. */
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "./kube.js";

/** Every non-empty document of a rendering (Helm's `# Source:` comments and empty documents are dropped). */
export const parseManifests = (text: string): KubeObject[] => {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as KubeObject | null;
    if (value && typeof value === "object" && typeof value.kind === "string") objects.push(value);
  }
  return objects;
};

export const ofKind = (objects: KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);

/** A Helm hook (test Pods and the like): not part of what `helm install` creates up front. */
export const isHook = (o: KubeObject): boolean => o.metadata.annotations?.["helm.sh/hook"] !== undefined;

/** `namespace/name` or `name` for cluster-scoped objects. */
export const ref = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
