import { writeFileSync } from "node:fs";
import type { KubeObject } from "../../charts-src/lib/k8s.js";
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
