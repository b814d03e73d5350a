import { type AdmissionObject, admissionPolicy, podRules, serviceRules } from "./admission.js";
import { clusterPolicy, enforce, inTenantNamespaces, tenantNamespaceSelector, v } from "./kyverno.js";
import type { IsolationPolicy } from "./kyverno.js";
import type { Helpers } from "../../lib/engine/index.js";
import { cel, jmes } from "./pod-spec.js";
import type { PolicySettings } from "./settings.js";

export const tenantPodHardeningName = "tenant-pod-hardening";
/** The native admission policy for Services (the one for Pods shares the ClusterPolicy's name). */
export const tenantNoLoadBalancersName = "tenant-no-load-balancers";

/** Every container list of a pod, in a Kyverno pattern: the field may be absent, each element must match. */
const everyContainerPattern = (containerPattern: Record<string, unknown>) => ({
  "=(ephemeralContainers)": [containerPattern],
  "=(initContainers)": [containerPattern],
  containers: [containerPattern],
});

/**
 * Rule 7: tenant pods never reach into the node (host namespaces, hostPath, privileged containers), tenants never
 * buy a cloud load balancer (traffic enters through the shared ingress), and images come only from the registries
 * the platform trusts. Pod Security `restricted` covers most of the first part too; this holds even where a
 * namespace's Pod Security labels were weakened.
 */
export const tenantPodHardening = (settings: PolicySettings, h: Helpers): IsolationPolicy => {
  const registries = h.join(settings.allowedRegistries, ", ");
  return clusterPolicy({
    name: tenantPodHardeningName,
    title: "Tenant pod hardening",
    subjects: ["Pod", "Service"],
    description: `Pods in tenant namespaces use no host namespaces, hostPath volumes or privileged containers and pull images only from ${registries}; Services there are never of type LoadBalancer.`,
    rules: [
      {
        name: "no-host-namespaces",
        match: inTenantNamespaces(["Pod"]),
        validate: enforce(
          "Pod {{ request.object.metadata.name }}: hostNetwork, hostPID and hostIPC must be unset or false.",
          {
            pattern: { spec: { "=(hostNetwork)": false, "=(hostPID)": false, "=(hostIPC)": false } },
          },
        ),
      },
      {
        name: "no-host-path-volumes",
        match: inTenantNamespaces(["Pod"]),
        validate: enforce(
          "Pod {{ request.object.metadata.name }}: hostPath volumes are not allowed; use a PersistentVolumeClaim or emptyDir.",
          { pattern: { spec: { "=(volumes)": [{ "X(hostPath)": "null" }] } } },
        ),
      },
      {
        name: "no-privileged-containers",
        match: inTenantNamespaces(["Pod"]),
        validate: enforce(
          "Pod {{ request.object.metadata.name }}: securityContext.privileged must be unset or false in every container, init and ephemeral containers included.",
          { pattern: { spec: everyContainerPattern({ "=(securityContext)": { "=(privileged)": false } }) } },
        ),
      },
      {
        name: "images-from-allowed-registries",
        match: inTenantNamespaces(["Pod"]),
        validate: enforce(
          `Pod {{ request.object.metadata.name }}: every image must come from ${registries} (a name without a registry means docker.io, and without a repository docker.io/library).`,
          {
            foreach: [
              {
                list: jmes.allContainers,
                context: [{ name: "image", variable: { jmesPath: jmes.normalisedImage("element.image") } }],
                deny: {
                  conditions: {
                    any: [
                      {
                        key: v("image"),
                        operator: "AnyNotIn",
                        value: h.each(settings.allowedRegistries, (prefix) => `${prefix}*`),
                        message: "container {{ element.name }}: image {{ image }} is not from an allowed registry",
                      },
                    ],
                  },
                },
              },
            ],
          },
        ),
      },
      {
        name: "no-load-balancer-services",
        match: inTenantNamespaces(["Service"]),
        validate: enforce(
          "Service {{ request.object.metadata.name }}: type LoadBalancer is not allowed in tenant namespaces; expose the workload through the shared ingress.",
          { pattern: { spec: { "=(type)": "!LoadBalancer" } } },
        ),
      },
    ],
  });
};

/** Rule 7 as native admission policies: one for Pods, one for Services. */
export const tenantPodHardeningAdmission = (settings: PolicySettings, h: Helpers): AdmissionObject[] => [
  ...admissionPolicy({
    name: tenantPodHardeningName,
    description:
      "Pods in tenant namespaces use no host namespaces, hostPath volumes or privileged containers, and only allowed images.",
    resourceRules: podRules,
    namespaceSelector: tenantNamespaceSelector(),
    variables: [
      { name: "images", expression: cel.normalisedImages },
      {
        name: "foreignImages",
        expression: `variables.images.filter(i, !${h.toJson(settings.allowedRegistries)}.exists(p, i.startsWith(p)))`,
      },
    ],
    validations: [
      {
        expression: ["hostNetwork", "hostPID", "hostIPC"]
          .map((f) => `(!has(object.spec.${f}) || object.spec.${f} == false)`)
          .join(" && "),
        messageExpression: `"pod " + object.metadata.name + ": hostNetwork, hostPID and hostIPC must be unset or false"`,
        reason: "Forbidden",
      },
      {
        expression: "!has(object.spec.volumes) || object.spec.volumes.all(vol, !has(vol.hostPath))",
        messageExpression: `"pod " + object.metadata.name + ": hostPath volumes are not allowed"`,
        reason: "Forbidden",
      },
      {
        expression: cel.everyContainer(
          "!has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged == false",
        ),
        messageExpression: `"pod " + object.metadata.name + ": privileged containers are not allowed"`,
        reason: "Forbidden",
      },
      {
        expression: "size(variables.foreignImages) == 0",
        messageExpression: `"pod " + object.metadata.name + ": images " + variables.foreignImages.join(", ") + " are not from ${h.join(settings.allowedRegistries, ", ")}"`,
        reason: "Forbidden",
      },
    ],
  }),
  ...admissionPolicy({
    name: tenantNoLoadBalancersName,
    description: "Services in tenant namespaces are never of type LoadBalancer.",
    resourceRules: serviceRules,
    namespaceSelector: tenantNamespaceSelector(),
    validations: [
      {
        expression: `!has(object.spec.type) || object.spec.type != "LoadBalancer"`,
        messageExpression: `"service " + object.metadata.name + ": type LoadBalancer is not allowed in tenant namespaces"`,
        reason: "Forbidden",
      },
    ],
  }),
];
