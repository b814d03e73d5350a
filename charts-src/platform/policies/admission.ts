import { labelDomain } from "../../lib/conventions.js";
import type { LabelSelector } from "./kyverno.js";

/**
 * Native ValidatingAdmissionPolicies (`admissionregistration.k8s.io/v1`, GA in Kubernetes 1.30): the rules the API
 * server can enforce with CEL alone, so they hold even when Kyverno's webhook is down or bypassed.
 */

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: ("CREATE" | "UPDATE")[];
  resources: string[];
}

export interface AdmissionValidation {
  expression: string;
  /** Built from the object, so the rejection names the offending value. */
  messageExpression: string;
  reason: "Forbidden" | "Invalid";
}

export interface ValidatingAdmissionPolicy {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "ValidatingAdmissionPolicy";
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    failurePolicy: "Fail";
    matchConstraints: { resourceRules: ResourceRule[] };
    variables?: { name: string; expression: string }[];
    validations: AdmissionValidation[];
  };
}

export interface ValidatingAdmissionPolicyBinding {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "ValidatingAdmissionPolicyBinding";
  metadata: { name: string };
  spec: {
    policyName: string;
    validationActions: ["Deny"];
    matchResources: { namespaceSelector: LabelSelector };
  };
}

/** What the admission policy builders yield: policies and their bindings. */
export type AdmissionObject = ValidatingAdmissionPolicy | ValidatingAdmissionPolicyBinding;

export const podRules: ResourceRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] },
];

export const serviceRules: ResourceRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"] },
];

/** Cluster-scoped admission objects are conventionally named within a domain: ours is the platform's label domain. */
export const admissionPolicyName = (name: string): string => `${name}.${labelDomain}`;

/**
 * A policy and the binding that applies it to the namespaces `namespaceSelector` picks, denying what fails.
 */
export const admissionPolicy = (p: {
  name: string;
  description: string;
  resourceRules: ResourceRule[];
  namespaceSelector: LabelSelector;
  variables?: { name: string; expression: string }[];
  validations: AdmissionValidation[];
}): [ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding] => {
  const name = admissionPolicyName(p.name);
  return [
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name, annotations: { [`${labelDomain}/description`]: p.description } },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: p.resourceRules },
        ...(p.variables ? { variables: p.variables } : {}),
        validations: p.validations,
      },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name },
      spec: {
        policyName: name,
        validationActions: ["Deny"],
        matchResources: { namespaceSelector: p.namespaceSelector },
      },
    },
  ];
};
