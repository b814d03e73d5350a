import { labels } from "../../lib/conventions.js";

/**
 * The slice of Kyverno's `kyverno.io/v1` ClusterPolicy the isolation policies use, typed so a misspelt field is a
 * compile error, plus the few builders every policy file shares.
 */

export type Operation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ResourceDescription {
  kinds: string[];
  names?: string[];
  operations?: Operation[];
  /** Labels of the object itself. */
  selector?: LabelSelector;
  /** Labels of the object's namespace. */
  namespaceSelector?: LabelSelector;
}

export interface MatchResources {
  any: { resources: ResourceDescription }[];
}

export interface Condition {
  key: unknown;
  operator:
    | "Equals"
    | "NotEquals"
    | "AnyIn"
    | "AllIn"
    | "AnyNotIn"
    | "AllNotIn"
    | "GreaterThan"
    | "GreaterThanOrEquals"
    | "LessThan";
  value?: unknown;
  /** Reported when this condition is what denied the request. */
  message?: string;
}

export interface Conditions {
  any?: Condition[];
  all?: Condition[];
}

export interface ContextEntry {
  name: string;
  variable?: { value?: unknown; jmesPath?: string; default?: unknown };
  apiCall?: { urlPath: string; method?: "GET"; jmesPath?: string };
}

export interface ForEachValidation {
  list: string;
  context?: ContextEntry[];
  preconditions?: Conditions;
  deny?: { conditions: Conditions };
}

export interface Validation {
  failureAction: "Enforce" | "Audit";
  message: string;
  pattern?: unknown;
  deny?: { conditions: Conditions };
  foreach?: ForEachValidation[];
}

export interface Generation {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  /** Keep the generated object equal to `data`: edits are reverted, a deletion is undone. */
  synchronize: boolean;
  /** Also generate for matching objects that existed before the policy. */
  generateExisting: boolean;
  data: Record<string, unknown>;
}

export interface Rule {
  name: string;
  match: MatchResources;
  context?: ContextEntry[];
  preconditions?: Conditions;
  validate?: Validation;
  generate?: Generation;
}

export interface ClusterPolicy {
  apiVersion: "kyverno.io/v1";
  kind: "ClusterPolicy";
  metadata: { name: string; annotations: Record<string, string> };
  spec: { background: boolean; rules: Rule[] };
}

/** Admission and background scans both judge creations and updates; deletions carry no object to judge. */
const writeOperations: Operation[] = ["CREATE", "UPDATE"];

/** A ClusterPolicy with the annotations Kyverno's tooling and policy reports show. */
export const clusterPolicy = (p: {
  name: string;
  title: string;
  description: string;
  subjects: string[];
  rules: Rule[];
  /** Scan existing objects too, and report them in PolicyReports. @default true */
  background?: boolean;
}): ClusterPolicy => ({
  apiVersion: "kyverno.io/v1",
  kind: "ClusterPolicy",
  metadata: {
    name: p.name,
    annotations: {
      "policies.kyverno.io/title": p.title,
      "policies.kyverno.io/category": "Multi-Tenancy",
      "policies.kyverno.io/severity": "high",
      "policies.kyverno.io/subject": p.subjects.join(", "),
      "policies.kyverno.io/description": p.description,
    },
  },
  spec: { background: p.background ?? true, rules: p.rules },
});

/** The namespaces the platform gave a tenant: those labelled with a tenant, narrowed by `extra`. */
export const tenantNamespaceSelector = (...extra: LabelSelectorRequirement[]): LabelSelector => ({
  matchExpressions: [{ key: labels.tenant, operator: "Exists" }, ...extra],
});

/**
 * Objects of `kinds` created or updated in tenant namespaces; `namespace` narrows by the namespace's labels,
 * `names` by the objects' names.
 */
export const inTenantNamespaces = (
  kinds: string[],
  narrow: { namespace?: LabelSelectorRequirement[]; names?: string[] } = {},
): MatchResources => ({
  any: [
    {
      resources: {
        kinds,
        ...(narrow.names ? { names: narrow.names } : {}),
        operations: writeOperations,
        namespaceSelector: tenantNamespaceSelector(...(narrow.namespace ?? [])),
      },
    },
  ],
});

/** Tenant Namespace objects themselves: namespaces carrying the tenant label. */
export const tenantNamespaceObjects = (): MatchResources => ({
  any: [
    {
      resources: {
        kinds: ["Namespace"],
        operations: writeOperations,
        selector: { matchExpressions: [{ key: labels.tenant, operator: "Exists" }] },
      },
    },
  ],
});

/** A validation that rejects the request (per-rule `failureAction`, not the deprecated policy-wide field). */
export const enforce = (message: string, check: Omit<Validation, "failureAction" | "message">): Validation => ({
  failureAction: "Enforce",
  message,
  ...check,
});

/** A Kyverno variable expression: `{{ expr }}`. */
export const v = (expr: string): string => `{{ ${expr} }}`;

/** A JMESPath identifier for a key with dots or slashes in it, such as a label key. */
export const field = (key: string): string => JSON.stringify(key);

/** A JMESPath raw string literal: only a quote needs escaping, backslashes are taken as they are. */
export const str = (s: string): string => `'${s.replaceAll("'", "\\'")}'`;

/** A JMESPath JSON literal. */
export const json = (value: unknown): string => jsonText(JSON.stringify(value));

/** A JMESPath JSON literal of text that already is JSON (`h.toJson` of a value). */
export const jsonText = (text: string): string => `\`${text}\``;

/**
 * Name of the context variable holding the tenant label of the request's namespace. Kyverno does not put namespace
 * labels into the JSON context, so the policy reads the Namespace through the API server; offline (`kyverno test`)
 * there is no API server and the test's values file supplies this variable per resource instead.
 */
export const namespaceTenantVariable = "namespaceTenant";

/** Context entry that loads the tenant label of the request's namespace into `namespaceTenant`. */
export const namespaceTenantContext: ContextEntry = {
  name: namespaceTenantVariable,
  apiCall: {
    method: "GET",
    urlPath: "/api/v1/namespaces/{{ request.namespace }}",
    jmesPath: `metadata.labels.${field(labels.tenant)} || ''`,
  },
};
