import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * Converters from Kubernetes' own API descriptions to the JSON Schema files kubeconform reads through its
 * `-schema-location` templates, so validation never needs the network:
 *
 * - `swagger.json` of `k8s.io/kubernetes` → `<kind><-group-version>.json` (`{{.ResourceKind}}{{.KindSuffix}}.json`)
 * - CRD YAML → `<group>/<kind>_<version>.json` (`{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`)
 *
 * Every file is standalone (no `$ref`) and strict: an object that lists its properties rejects any other, which is
 * what makes kubeconform catch a misspelt field.
 */

type Json = null | boolean | number | string | Json[] | JsonObject;
type JsonObject = { [key: string]: Json };

/** JSON Schema draft-07, which kubeconform's validator (santhosh-tekuri/jsonschema) and Ajv both understand. */
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const DEFINITIONS_PREFIX = "#/definitions/";

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords whose value is a map from names to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions"]);
/** Keywords whose value is one schema (or, for `items`, possibly a list of schemas). */
const SCHEMA_SLOTS = new Set(["additionalProperties", "additionalItems", "items", "not"]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf"]);

/**
 * Rebuilds one schema node, passing every sub-schema through `child` and copying everything else verbatim. Walking by
 * keyword (not by every nested object) matters: a property may well be *named* `format` or `$ref`, and the values of
 * `default`, `enum` or `example` are data, not schemas.
 */
const mapSubschemas = (node: JsonObject, child: (schema: Json) => Json): JsonObject => {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, child(s)]));
    } else if (SCHEMA_SLOTS.has(key) && (isObject(value) || Array.isArray(value))) {
      out[key] = Array.isArray(value) ? value.map(child) : child(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(child);
    } else {
      out[key] = value;
    }
  }
  return out;
};

/** Replaces `type` in place (keeping the key order) or appends it. */
const withType = (node: JsonObject, type: Json): JsonObject =>
  "type" in node
    ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "type" ? type : v]))
    : { ...node, type };

/** Kubernetes accepts a number or a string wherever it says int-or-string (ports, maxSurge, …). */
const intOrString = (node: JsonObject): JsonObject => withType(node, ["integer", "string"]);

/** Strictness: an object schema that names its properties and says nothing else about extra ones forbids them. */
const closeObject = (node: JsonObject): JsonObject =>
  isObject(node.properties) &&
  !("additionalProperties" in node) &&
  node["x-kubernetes-preserve-unknown-fields"] !== true
    ? { ...node, additionalProperties: false }
    : node;

/** Puts `$schema` first so each file declares its dialect. */
const asDocument = (schema: JsonObject): JsonObject => {
  const { $schema: _, ...rest } = schema;
  return { $schema: DRAFT_07, ...rest };
};

/**
 * Writes every schema once; two sources mapping to the same file must agree, otherwise one would silently shadow the
 * other. Returns the number of distinct files.
 */
class SchemaWriter {
  private readonly written = new Map<string, { text: string; source: string }>();

  write(path: string, schema: JsonObject, source: string): void {
    const text = JSON.stringify(schema);
    const previous = this.written.get(path);
    if (previous) {
      if (previous.text !== text)
        throw new Error(`${path}: produced by both ${previous.source} and ${source}, which differ`);
      return;
    }
    this.written.set(path, { text, source });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${text}\n`);
  }

  get count(): number {
    return this.written.size;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes OpenAPI v2 (swagger.json)
// ---------------------------------------------------------------------------------------------------------------

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** kubeconform's `{{.KindSuffix}}`: `-<first segment of the group>-<version>`, or `-<version>` for the core group. */
export const kindSuffix = (group: string, version: string): string =>
  group === "" ? `-${version}` : `-${group.split(".")[0]}-${version}`;

/** File name of one built-in kind, e.g. `deployment-apps-v1.json`. */
export const kubernetesSchemaFileName = ({ group, version, kind }: GroupVersionKind): string =>
  `${kind}${kindSuffix(group, version)}.json`.toLowerCase();

const groupVersionKinds = (definition: Json | undefined): GroupVersionKind[] => {
  const gvks = isObject(definition) ? definition["x-kubernetes-group-version-kind"] : undefined;
  return Array.isArray(gvks) ? (gvks.filter(isObject) as unknown as GroupVersionKind[]) : [];
};

/**
 * Inlines every `$ref` below `schema`. `expanding` holds the definitions open on the current path: a reference back
 * into one of them (JSONSchemaProps describes itself) cannot be inlined and becomes `{}`, which accepts anything.
 */
const inlineSchema = (schema: Json, definitions: JsonObject, expanding: ReadonlySet<string>): Json => {
  if (!isObject(schema)) return schema;
  const { $ref: ref, ...siblings } = schema;
  if (typeof ref === "string") {
    // Siblings of a `$ref` (a field's own description, patch hints) say more than the shared definition does.
    const target = inlineDefinition(ref, definitions, expanding);
    return isObject(target) ? { ...target, ...siblings } : target;
  }
  let node = mapSubschemas(schema, (s) => inlineSchema(s, definitions, expanding));
  if (node.format === "int-or-string") {
    const { format: _, ...rest } = node;
    node = intOrString(rest);
  }
  return closeObject(node);
};

const inlineDefinition = (ref: string, definitions: JsonObject, expanding: ReadonlySet<string>): Json => {
  if (!ref.startsWith(DEFINITIONS_PREFIX)) throw new Error(`unsupported $ref ${ref}`);
  const name = ref.slice(DEFINITIONS_PREFIX.length);
  if (expanding.has(name)) return {};
  const definition = definitions[name];
  if (!isObject(definition)) throw new Error(`$ref to missing definition ${name}`);
  // A Quantity is written `"500m"` or `2`; the spec only says string.
  if (name === QUANTITY) return withType(definition, ["string", "number"]);
  return inlineSchema(definition, definitions, new Set(expanding).add(name));
};

/**
 * Converts Kubernetes' `api/openapi-spec/swagger.json` into one standalone strict schema per group-version-kind,
 * named for kubeconform's `{{.ResourceKind}}{{.KindSuffix}}.json`. Returns the number of files written.
 */
export const convertKubernetesOpenApi = (swaggerJsonPath: string, outDir: string): number => {
  const swagger = JSON.parse(readFileSync(swaggerJsonPath, "utf8")) as JsonObject;
  const definitions = swagger.definitions;
  if (!isObject(definitions)) throw new Error(`${swaggerJsonPath}: no definitions`);
  mkdirSync(outDir, { recursive: true });
  const writer = new SchemaWriter();
  for (const [name, definition] of Object.entries(definitions)) {
    const gvks = groupVersionKinds(definition);
    if (gvks.length === 0) continue;
    // One expansion serves every GVK of the definition (DeleteOptions has dozens).
    const schema = asDocument(inlineDefinition(`${DEFINITIONS_PREFIX}${name}`, definitions, new Set()) as JsonObject);
    for (const gvk of gvks) writer.write(join(outDir, kubernetesSchemaFileName(gvk)), schema, name);
  }
  return writer.count;
};

// ---------------------------------------------------------------------------------------------------------------
// CustomResourceDefinitions
// ---------------------------------------------------------------------------------------------------------------

/** What every Kubernetes object may carry at its top level, whether or not the CRD's schema spells it out. */
const OBJECT_HEADER: JsonObject = {
  apiVersion: { type: "string" },
  kind: { type: "string" },
  metadata: { type: "object" },
};

/** OpenAPI v3's `nullable: true` has no JSON Schema keyword; it means the type also admits `null`. */
const allowNull = (node: JsonObject): JsonObject => {
  const type = node.type;
  if (type === undefined) return node;
  const types = Array.isArray(type) ? type : [type];
  return types.includes("null") ? node : withType(node, [...types, "null"]);
};

/**
 * Makes a resource-shaped object (the CRD root, or an `x-kubernetes-embedded-resource`) accept apiVersion, kind and
 * metadata. The API server validates metadata as ObjectMeta whatever the CRD says, so a CRD's metadata schema (often
 * just `name` limits) must not be closed, or every label would be rejected.
 */
const withObjectHeader = (node: JsonObject, convert: (schema: Json) => Json): JsonObject => {
  const declared = isObject(node.properties) ? node.properties : {};
  const properties: JsonObject = { ...OBJECT_HEADER };
  for (const [name, schema] of Object.entries(declared)) {
    properties[name] = name === "metadata" && isObject(schema) ? mapSubschemas(schema, convert) : convert(schema);
  }
  // Spreading keeps `properties` where the CRD put it; the placeholder is never converted.
  return closeObject({ ...mapSubschemas({ ...node, properties: {} }, convert), properties });
};

/** Converts one node of a CRD's structural schema (no `$ref` there, by the rules of structural schemas). */
const convertCrdSchema = (schema: Json): Json => {
  if (!isObject(schema)) return schema;
  if (schema["x-kubernetes-embedded-resource"] === true)
    return finishCrdNode(withObjectHeader(schema, convertCrdSchema));
  return finishCrdNode(closeObject(mapSubschemas(schema, convertCrdSchema)));
};

const finishCrdNode = (node: JsonObject): JsonObject => {
  let out = node;
  if (out["x-kubernetes-int-or-string"] === true) out = intOrString(out);
  if (out.nullable === true) out = allowNull(out);
  if (out.format === "duration") {
    // Kubernetes means a Go duration ("30s"); JSON Schema's `duration` is ISO 8601 ("PT30S") and would reject it.
    const { format: _, ...rest } = out;
    out = rest;
  }
  return out;
};

/** A CRD's per-version schemas; `spec.validation` is the apiextensions v1beta1 spelling of a schema shared by all. */
const crdVersionSchemas = (spec: JsonObject): { version: string; schema: JsonObject }[] => {
  const shared = isObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions.flatMap((v) => {
    const own = isObject(v.schema) ? v.schema.openAPIV3Schema : undefined;
    const schema = own ?? shared;
    return typeof v.name === "string" && isObject(schema) ? [{ version: v.name, schema }] : [];
  });
};

const readYamlDocuments = (file: string): Json[] =>
  parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Json;
  });

/** CRD schema path for kubeconform's `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`. */
export const crdSchemaPath = (group: string, kind: string, version: string): string =>
  join(group, `${kind.toLowerCase()}_${version}.json`);

/**
 * Converts every CustomResourceDefinition in `crdYamlFiles` (other documents are skipped) into one standalone strict
 * schema per version that carries one, under `outDir`. Returns the number of files written.
 */
export const convertCrds = (crdYamlFiles: string[], outDir: string): number => {
  mkdirSync(outDir, { recursive: true });
  const writer = new SchemaWriter();
  for (const file of crdYamlFiles) {
    for (const doc of readYamlDocuments(file)) {
      if (!isObject(doc) || doc.kind !== "CustomResourceDefinition" || !isObject(doc.spec)) continue;
      const { group, names } = doc.spec;
      const kind = isObject(names) ? names.kind : undefined;
      if (typeof group !== "string" || typeof kind !== "string") throw new Error(`${file}: CRD without group or kind`);
      for (const { version, schema } of crdVersionSchemas(doc.spec)) {
        const converted = finishCrdNode(withObjectHeader(schema, convertCrdSchema));
        writer.write(join(outDir, crdSchemaPath(group, kind, version)), asDocument(converted), file);
      }
    }
  }
  return writer.count;
};
