import { labels } from "../../lib/conventions.js";
import type {
  ClusterPolicy,
  KyvernoContextEntry,
  KyvernoMatchResources,
  KyvernoOperation,
  KyvernoRule,
  KyvernoValidation,
  LabelSelector,
  LabelSelectorRequirement,
  Named,
} from "../../lib/k8s.js";

/**
 * The builders every isolation policy file shares. The policies are typed by the Kyverno package's `kyverno.io/v1`
 * types (charts-src/lib/k8s.ts), so a misspelt field is a compile error.
 */

/** A ClusterPolicy as `clusterPolicy` builds it: named, and with its rules (both optional in the API type). */
export type IsolationPolicy = Named<ClusterPolicy> & { spec: { rules: KyvernoRule[] } };

/** Admission and background scans both judge creations and updates; deletions carry no object to judge. */
const writeOperations: KyvernoOperation[] = ["CREATE", "UPDATE"];

/** A ClusterPolicy with the annotations Kyverno's tooling and policy reports show. */
export const clusterPolicy = (p: {
  name: string;
  title: string;
  description: string;
  subjects: string[];
  rules: KyvernoRule[];
  /** Scan existing objects too, and report them in PolicyReports. @default true */
  background?: boolean;
}): IsolationPolicy => ({
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
): KyvernoMatchResources => ({
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
export const tenantNamespaceObjects = (): KyvernoMatchResources => ({
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
export const enforce = (
  message: string,
  check: Omit<KyvernoValidation, "failureAction" | "message">,
): KyvernoValidation => ({
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
export const namespaceTenantContext: KyvernoContextEntry = {
  name: namespaceTenantVariable,
  apiCall: {
    method: "GET",
    urlPath: "/api/v1/namespaces/{{ request.namespace }}",
    jmesPath: `metadata.labels.${field(labels.tenant)} || ''`,
  },
};
