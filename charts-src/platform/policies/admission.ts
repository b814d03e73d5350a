import type {
  AdmissionRule,
  AdmissionValidation,
  AdmissionVariable,
  LabelSelector,
  Named,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from "../../lib/k8s.js";
import { labelDomain } from "../../lib/conventions.js";

/**
 * Native ValidatingAdmissionPolicies (`admissionregistration.k8s.io/v1`, GA in Kubernetes 1.30): the rules the API
 * server can enforce with CEL alone, so they hold even when Kyverno's webhook is down or bypassed.
 */

/** What the admission policy builders yield: policies and their bindings, each named. */
export type AdmissionObject = Named<ValidatingAdmissionPolicy> | Named<ValidatingAdmissionPolicyBinding>;

export const podRules: AdmissionRule[] = [
  { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] },
];

export const serviceRules: AdmissionRule[] = [
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
  resourceRules: AdmissionRule[];
  namespaceSelector: LabelSelector;
  variables?: AdmissionVariable[];
  validations: AdmissionValidation[];
}): [Named<ValidatingAdmissionPolicy>, Named<ValidatingAdmissionPolicyBinding>] => {
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
