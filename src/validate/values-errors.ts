import type { ErrorObject } from "ajv";
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
          return `${at}: unknown key "${extra}"; allowed keys: ${allowed.join(", ")}`;
        }
        case "enum":
          return `${at}: not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}${why}`;
        case "const":
          return `${at}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)} here (a rule across fields requires it)${why}`;
        case "required":
          return `${at}: missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
        default:
          return `${at}: ${e.message}${why}`;
      }
    });
  return [...new Set(lines)];
};
