import { dataDir } from "./cache.js";
import { type CrdSource, crdSources, kubernetesSchemaVersions } from "./pins.js";

/** A data set the installer produces: converted JSON schemas for kubeconform. */
export interface DataSet {
  name: string;
  version: string;
  /** What the pin digest covers. */
  pin: unknown;
  kind: "kubernetes-openapi" | "crds";
  source?: CrdSource;
}

export const dataSets = (): DataSet[] => [
  ...kubernetesSchemaVersions.map((version) => ({
    name: "kubernetes-schemas",
    version,
    pin: { module: "k8s.io/kubernetes", version, converter: 1 },
    kind: "kubernetes-openapi" as const,
  })),
  ...crdSources.map((source) => ({
    name: `crd-schemas-${source.name}`,
    version: source.version,
    pin: { ...source, converter: 1 },
    kind: "crds" as const,
    source,
  })),
];

/** kubeconform `-schema-location` templates for every data set, Kubernetes first. */
export const kubeconformSchemaLocations = (): string[] => {
  const k8s = `${dataDir("kubernetes-schemas", "")}{{.NormalizedKubernetesVersion}}/{{.ResourceKind}}{{.KindSuffix}}.json`;
  const crds = crdSources.map(
    (s) => `${dataDir(`crd-schemas-${s.name}`, s.version)}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
  );
  return [k8s, ...crds];
};
