import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { labels } from "../../charts-src/lib/conventions.js";
import type { Rendering } from "./renderings.js";

/** A rendered Kubernetes object, as far as the later rungs read it. */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

const parsed = new WeakMap<Rendering, Obj[]>();

/** The objects of a rendering, read once however many rungs read them (from the renderer's JSON when it wrote one). */
export const documents = (r: Rendering): Obj[] => {
  let docs = parsed.get(r);
  if (!docs) {
    docs = r.objects
      ? (JSON.parse(readFileSync(r.objects, "utf8")) as Obj[])
      : parseAllDocuments(readFileSync(r.file, "utf8"), { version: "1.1" })
          .map((d) => d.toJS() as Obj)
          .filter(Boolean);
    parsed.set(r, docs);
  }
  return docs;
};

/** The tenant a rendering's own Namespace objects name, if it creates a tenant namespace. */
export const tenantOf = (docs: Obj[]): string | undefined =>
  docs
    .filter((d) => d.kind === "Namespace")
    .map((n) => n.metadata?.labels?.[labels.tenant])
    .find(Boolean);
