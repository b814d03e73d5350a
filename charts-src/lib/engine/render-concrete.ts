import type { KubeObject } from "../k8s.js";
import { IfMarker, OMIT, RangeMarker, Refusal, ValuesRefused } from "./markers.js";

/**
 * Concrete mode: the helpers already decided everything, so all that is left is to drop what a false `when` left
 * out, to throw a refusal the values met, and to turn the result into plain JSON data.
 */
export const concreteDocuments = (docs: readonly unknown[]): KubeObject[] =>
  docs.flatMap((d) => {
    if (d instanceof Refusal) throw new ValuesRefused(d.message);
    return Array.isArray(d) ? concreteDocuments(d) : d === OMIT || d === undefined ? [] : [prune(d) as KubeObject];
  });

const prune = (v: unknown): unknown => {
  if (v instanceof IfMarker || v instanceof RangeMarker) throw new Error("a template marker reached concrete mode");
  if (Array.isArray(v)) return v.filter((x) => x !== OMIT && x !== undefined).map(prune);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== OMIT && x !== undefined) out[k] = prune(x);
    return out;
  }
  return v;
};
