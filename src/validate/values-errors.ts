import type { ErrorObject } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import type { JsonSchema } from "../../charts-src/lib/engine/index.js";

/** The schema node at a JSON pointer into the values, following properties and list items. */
const schemaAt = (schema: JsonSchema, pointer: string): JsonSchema | undefined => {
  let node: JsonSchema | undefined = schema;
  for (const part of pointer.split("/").slice(1)) {
    if (!node) return undefined;
    node =
      /^\d+$/.test(part) && node.items ? node.items : node.properties?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
};

/** The allowed key a typo most likely meant: the nearest by edit distance, if near enough to be a slip. */
export const nearestKey = (typo: string, allowed: string[]): string | undefined => {
  if (allowed.length === 0) return undefined;
  const best = closest(
    typo.toLowerCase(),
    allowed.map((k) => k.toLowerCase()),
  );
  const key = allowed.find((k) => k.toLowerCase() === best) as string;
  return distance(typo.toLowerCase(), best) <= Math.max(2, Math.floor(key.length / 3)) ? key : undefined;
};

const hint = (node: JsonSchema | undefined): string => (node?.description ? ` — ${node.description}` : "");

/**
 * One line per problem in a user's values: the field's JSON pointer (as Helm prints it), what is wrong, and how
 * to fix it (the allowed keys or values, or the field's own description).
 */
export const explainValuesErrors = (errors: ErrorObject[], schema: JsonSchema): string[] => {
  const lines = errors
    .filter((e) => e.keyword !== "if")
    .map((e) => {
      // Quoted like Helm's own messages (`at '/premium/gpuLimit'`, `at ''` for the top), so both read alike.
      const at = `at '${e.instancePath}'`;
      const key = (e.params as { propertyName?: string }).propertyName;
      if (key !== undefined) return `${at}: key "${key}" is not allowed${hint(schemaAt(schema, e.instancePath))}`;
      const node = schemaAt(schema, e.instancePath);
      const why = hint(node);
      switch (e.keyword) {
        case "additionalProperties": {
          const extra = (e.params as { additionalProperty: string }).additionalProperty;
          const allowed = Object.keys(node?.properties ?? {}).filter((k) => k !== "global");
          const meant = nearestKey(extra, allowed);
          const suggestion = meant ? `did you mean "${meant}"? ` : "";
          return `${at}: unknown key "${extra}"; ${suggestion}allowed keys: ${allowed.join(", ")}`;
        }
        case "enum":
          return `${at}: not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}${why}`;
        case "const":
          return `${at}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} here (a rule across fields requires it)${why}`;
        case "required":
          return `${at}: missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
        default: {
          // With ajv's `verbose`, the value at fault: shown when it is a scalar (a placeholder left in, say).
          const value = e.data !== null && typeof e.data === "object" ? "" : ` ${JSON.stringify(e.data)}`;
          return `${at}:${value} ${e.message}${why}`;
        }
      }
    });
  return [...new Set(lines)];
};
