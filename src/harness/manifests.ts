/** Rendered manifests: Helm's multi-document YAML, as objects. */
import { parseAllDocuments } from "yaml";
import type { KubeObject, Named } from "../../charts-src/lib/k8s.js";

/** Every non-empty document of a rendering (Helm's `# Source:` comments and empty documents are dropped). */
export const parseManifests = (text: string): Named[] => {
  const objects: Named[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value = doc.toJS() as Named | null;
    if (value && typeof value === "object" && typeof value.kind === "string") objects.push(value);
  }
  return objects;
};

/** The objects of one kind, as that kind's API type: `ofKind<NodePool>(objects, "NodePool")`. */
export const ofKind = <T extends KubeObject>(objects: Named[], kind: T["kind"]): Named<T>[] =>
  objects.filter((o): o is Named<T> => o.kind === kind);

/** A Helm hook (test Pods and the like): not part of what `helm install` creates up front. */
export const isHook = (o: Named): boolean => o.metadata.annotations?.["helm.sh/hook"] !== undefined;

/** `namespace/name` or `name` for cluster-scoped objects. */
export const ref = (o: Named): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
