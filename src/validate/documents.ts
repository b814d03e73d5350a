import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { labels } from "../../charts-src/lib/conventions.js";
import type { KubeObject } from "../../charts-src/lib/k8s.js";
import type { Rendering } from "./renderings.js";

const parsed = new WeakMap<Rendering, KubeObject[]>();

/** The objects of a rendering, read once however many rungs read them (from the renderer's JSON when it wrote one). */
export const documents = (r: Rendering): KubeObject[] => {
  let docs = parsed.get(r);
  if (!docs) {
    docs = r.objects
      ? (JSON.parse(readFileSync(r.objects, "utf8")) as KubeObject[])
      : parseAllDocuments(readFileSync(r.file, "utf8"), { version: "1.1" })
          .map((d) => d.toJS() as KubeObject)
          .filter(Boolean);
    parsed.set(r, docs);
  }
  return docs;
};

/** The tenant a rendering's own Namespace objects name, if it creates a tenant namespace. */
export const tenantOf = (docs: KubeObject[]): string | undefined =>
  docs
    .filter((d) => d.kind === "Namespace")
    .map((n) => n.metadata?.labels?.[labels.tenant])
    .find(Boolean);

/** The objects of one kind, typed as that kind's API type. */
export const ofKind = <T extends KubeObject>(docs: KubeObject[], kind: T["kind"]): T[] =>
  docs.filter((d): d is T => d.kind === kind);
