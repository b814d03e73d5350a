import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Ajv } from "ajv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  convertCrds,
  convertKubernetesOpenApi,
  crdSchemaPath,
  kindSuffix,
  kubernetesSchemaFileName,
} from "../../src/toolchain/schemas.js";

const ref = (name: string, extra: object = {}) => ({ $ref: `#/definitions/${name}`, ...extra });
const gvk = (group: string, version: string, kind: string) => ({ group, version, kind });

/** A tiny swagger.json: a `$ref` chain, JSONSchemaProps' self-reference, int-or-string, Quantity, multi-GVK. */
const swagger = {
  swagger: "2.0",
  definitions: {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string" },
    "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: "string" },
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
      type: "object",
      properties: { name: { type: "string" }, labels: { type: "object", additionalProperties: { type: "string" } } },
    },
    "io.k8s.api.apps.v1.Deployment": {
      type: "object",
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", { description: "Standard object metadata." }),
        spec: ref("io.k8s.api.apps.v1.DeploymentSpec"),
      },
      "x-kubernetes-group-version-kind": [gvk("apps", "v1", "Deployment")],
    },
    "io.k8s.api.apps.v1.DeploymentSpec": {
      type: "object",
      required: ["template"],
      properties: {
        replicas: { type: "integer", format: "int32" },
        maxSurge: ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString"),
        template: ref("io.k8s.api.core.v1.PodTemplateSpec"),
      },
    },
    "io.k8s.api.core.v1.PodTemplateSpec": {
      type: "object",
      properties: {
        metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"),
        containers: { type: "array", items: ref("io.k8s.api.core.v1.Container") },
      },
    },
    "io.k8s.api.core.v1.Container": {
      type: "object",
      properties: {
        name: { type: "string" },
        limits: { type: "object", additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity") },
      },
    },
    "io.k8s.api.core.v1.Service": {
      type: "object",
      properties: { apiVersion: { type: "string" }, kind: { type: "string" }, port: { type: "integer" } },
      "x-kubernetes-group-version-kind": [gvk("", "v1", "Service")],
    },
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler": {
      type: "object",
      properties: { kind: { type: "string" } },
      "x-kubernetes-group-version-kind": [gvk("autoscaling", "v2", "HorizontalPodAutoscaler")],
    },
    "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions": {
      type: "object",
      properties: { kind: { type: "string" }, dryRun: { type: "array", items: { type: "string" } } },
      "x-kubernetes-group-version-kind": [gvk("", "v1", "DeleteOptions"), gvk("apps", "v1", "DeleteOptions")],
    },
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": {
      type: "object",
      properties: {
        kind: { type: "string" },
        schema: ref("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"),
      },
      "x-kubernetes-group-version-kind": [gvk("apiextensions.k8s.io", "v1", "CustomResourceDefinition")],
    },
    // Describes JSON Schema itself, so it refers to itself; its property *names* include `$ref` and `format`.
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": {
      type: "object",
      properties: {
        $ref: { type: "string" },
        format: { type: "string" },
        type: { type: "string" },
        properties: {
          type: "object",
          additionalProperties: ref("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"),
        },
      },
    },
  },
};

/** A tiny CRD file: two CRDs, a ConfigMap to skip, and an empty document. */
const crdYaml = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: false
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            metadata:
              type: object
              properties:
                name: { type: string, maxLength: 20 }
            spec:
              type: object
              required: [port]
              properties:
                port:
                  x-kubernetes-int-or-string: true
                  anyOf: [{ type: integer }, { type: string }]
                note: { type: string, nullable: true }
                every: { type: string, format: duration }
                config:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    level: { type: string }
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    spec:
                      type: object
                      properties:
                        image: { type: string }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: not-a-crd }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.other.example.org
spec:
  group: other.example.org
  names: { kind: Gadget, plural: gadgets }
  scope: Cluster
  versions:
    - name: v2
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { on: { type: boolean } } }
---
`;

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

const readJson = (path: string): object => JSON.parse(readFileSync(path, "utf8"));

/** What kubeconform's validator would do, approximated by Ajv (draft-07); formats such as int32 are not asserted. */
const validator = (path: string) => new Ajv({ strict: false, logger: false }).compile(readJson(path));

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "llmcharts-schemas-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe("kubeconform file names", () => {
  it("follows {{.ResourceKind}}{{.KindSuffix}} and {{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}", () => {
    expect(kindSuffix("", "v1")).toBe("-v1");
    expect(kindSuffix("admissionregistration.k8s.io", "v1")).toBe("-admissionregistration-v1");
    expect(kubernetesSchemaFileName(gvk("apps", "v1", "Deployment"))).toBe("deployment-apps-v1.json");
    expect(kubernetesSchemaFileName(gvk("autoscaling", "v2", "HorizontalPodAutoscaler"))).toBe(
      "horizontalpodautoscaler-autoscaling-v2.json",
    );
    expect(crdSchemaPath("karpenter.sh", "NodePool", "v1")).toBe(join("karpenter.sh", "nodepool_v1.json"));
  });
});

describe("convertKubernetesOpenApi", () => {
  const convert = (outDir = join(tmp, "out")) => {
    const input = join(tmp, "swagger.json");
    writeFileSync(input, JSON.stringify(swagger));
    return { count: convertKubernetesOpenApi(input, outDir), outDir };
  };

  it("writes one standalone file per group-version-kind", () => {
    const { count, outDir } = convert();
    expect(listFiles(outDir)).toEqual([
      "customresourcedefinition-apiextensions-v1.json",
      "deleteoptions-apps-v1.json",
      "deleteoptions-v1.json",
      "deployment-apps-v1.json",
      "horizontalpodautoscaler-autoscaling-v2.json",
      "service-v1.json",
    ]);
    expect(count).toBe(6);
    for (const file of listFiles(outDir)) {
      const text = readFileSync(join(outDir, file), "utf8");
      expect(text).not.toMatch(/"\$ref":"#/);
      expect(readJson(join(outDir, file))).toMatchObject({ $schema: "http://json-schema.org/draft-07/schema#" });
    }
  });

  it("accepts a valid Deployment and rejects an unknown field at any depth", () => {
    const { outDir } = convert();
    const validate = validator(join(outDir, "deployment-apps-v1.json"));
    const good = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 2,
        maxSurge: "25%",
        template: { containers: [{ name: "web", limits: { cpu: "500m", memory: 1 } }] },
      },
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, maxSurge: 1 } })).toBe(true);
    expect(validate({ ...good, spec: { ...good.spec, maxSurge: true } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, replica: 2 } })).toBe(false);
    expect(validate({ ...good, metadata: { name: "web", lables: {} } })).toBe(false);
    expect(validate({ ...good, spec: { ...good.spec, template: { containers: [{ name: "web", imag: "x" }] } } })).toBe(
      false,
    );
    expect(validate({ ...good, spec: { ...good.spec, template: { containers: [{ limits: { cpu: true } }] } } })).toBe(
      false,
    );
  });

  it("keeps a referring field's own description", () => {
    const { outDir } = convert();
    const schema = readJson(join(outDir, "deployment-apps-v1.json")) as {
      properties: { metadata: { description: string } };
    };
    expect(schema.properties.metadata.description).toBe("Standard object metadata.");
  });

  it("cuts a self-reference to an open schema and treats property names as names", () => {
    const { outDir } = convert();
    const file = join(outDir, "customresourcedefinition-apiextensions-v1.json");
    const schema = readJson(file) as { properties: { schema: { properties: Record<string, object> } } };
    expect(Object.keys(schema.properties.schema.properties)).toEqual(["$ref", "format", "type", "properties"]);
    const validate = validator(file);
    const nested = { type: "object", properties: { a: { type: "object", properties: { b: { anything: 1 } } } } };
    expect(validate({ kind: "CustomResourceDefinition", schema: nested })).toBe(true);
    expect(validate({ kind: "CustomResourceDefinition", schema: { $ref: "x", typo: 1 } })).toBe(false);
  });

  it("is deterministic", () => {
    const first = convert(join(tmp, "a")).outDir;
    const second = convert(join(tmp, "b")).outDir;
    for (const file of listFiles(first)) {
      expect(readFileSync(join(second, file), "utf8")).toBe(readFileSync(join(first, file), "utf8"));
    }
  });
});

describe("convertCrds", () => {
  const convert = () => {
    const input = join(tmp, "crds.yaml");
    writeFileSync(input, crdYaml);
    const outDir = join(tmp, "out");
    return { count: convertCrds([input], outDir), outDir };
  };
  const widget = {
    apiVersion: "example.com/v1",
    kind: "Widget",
    metadata: { name: "w", namespace: "ns", labels: { a: "b" } },
    spec: {
      port: "http",
      note: null,
      every: "30s",
      config: { level: "debug", extra: { anything: true } },
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { image: "x" } },
    },
  };

  it("writes <group>/<kind>_<version>.json for every version of every CRD, skipping other documents", () => {
    const { count, outDir } = convert();
    expect(listFiles(outDir)).toEqual([
      join("example.com", "widget_v1.json"),
      join("example.com", "widget_v1alpha1.json"),
      join("other.example.org", "gadget_v2.json"),
    ]);
    expect(count).toBe(3);
  });

  it("accepts a valid object and rejects unknown fields", () => {
    const { outDir } = convert();
    const validate = validator(join(outDir, "example.com", "widget_v1.json"));
    expect(validate(widget)).toBe(true);
    expect(validate({ ...widget, spec: { ...widget.spec, port: 8080 } })).toBe(true);
    expect(validate({ ...widget, spec: { ...widget.spec, port: 1.5 } })).toBe(false);
    expect(validate({ ...widget, spec: { ...widget.spec, prot: 8080 } })).toBe(false);
    expect(validate({ ...widget, extra: 1 })).toBe(false);
    const template = { ...widget.spec.template, spec: { image: "x", imagee: "y" } };
    expect(validate({ ...widget, spec: { ...widget.spec, template } })).toBe(false);
    expect(
      validate({ ...widget, spec: { ...widget.spec, template: { ...template, spec: { image: "x" }, foo: 1 } } }),
    ).toBe(false);
  });

  it("drops format: duration, which means a Go duration in Kubernetes but ISO 8601 in JSON Schema", () => {
    const { outDir } = convert();
    const schema = readJson(join(outDir, "example.com", "widget_v1.json")) as {
      properties: { spec: { properties: { every: object } } };
    };
    expect(schema.properties.spec.properties.every).toEqual({ type: "string" });
  });

  it("allows apiVersion, kind and metadata even where the CRD schema leaves them out", () => {
    const { outDir } = convert();
    const validate = validator(join(outDir, "example.com", "widget_v1alpha1.json"));
    expect(
      validate({ apiVersion: "example.com/v1alpha1", kind: "Widget", metadata: { name: "w" }, spec: { size: 1 } }),
    ).toBe(true);
    expect(validate({ apiVersion: "example.com/v1alpha1", kind: "Widget", metadata: "w" })).toBe(false);
    expect(validate({ apiVersion: "example.com/v1alpha1", kind: "Widget", spec: { size: 1, colour: "red" } })).toBe(
      false,
    );
  });

  it("keeps keys that YAML 1.1 would read as booleans", () => {
    const { outDir } = convert();
    const validate = validator(join(outDir, "other.example.org", "gadget_v2.json"));
    expect(validate({ apiVersion: "other.example.org/v2", kind: "Gadget", spec: { on: true } })).toBe(true);
  });
});
