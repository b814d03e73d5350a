/**
 * The Kubernetes API types every chart, helper and test builds objects with: the structural interfaces of the
 * `kubernetes-models` packages, imported as types only (no line of those packages runs), and only here, so that a
 * version bump touches this one file. Their Quantity and IntOrString are plain `string | number`, so a value's token
 * type-checks as the value's own type. Where a CRD type lags the CRD we pin, extend it below with a comment; a CRD
 * no package types is declared in k8s-crds.ts. kubeconform (rung 3) stays the authority on shapes.
 */
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

export type {
  ExtraObject,
  InterceptorRoute,
  InterceptorRouteSpec,
  TraefikMiddleware,
  VolumeSnapshot,
  VolumeSnapshotClass,
} from "./k8s-crds.js";

export type {
  IAppProject as AppProject,
  IApplicationSet as ApplicationSet,
  IApplicationSetSpec as ApplicationSetSpec,
} from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
export type { IPushSecret as PushSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1";
export type {
  IClusterSecretStore as ClusterSecretStore,
  IExternalSecret as ExternalSecret,
  IExternalSecretSpec as ExternalSecretSpec,
  ISecretStore as SecretStore,
  ISecretStoreSpec as SecretStoreSpec,
} from "@kubernetes-models/external-secrets/external-secrets.io/v1";
export type { IHTTPRoute as HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
export type {
  IEC2NodeClass as EC2NodeClass,
  IEC2NodeClassSpec as EC2NodeClassSpec,
} from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1";
export type {
  IBudget as Budget,
  INodeClaimTemplate as NodeClaimTemplate,
  INodePool as NodePool,
  INodePoolSpec as NodePoolSpec,
  INodeSelectorRequirementWithMinValues as NodeSelectorRequirementWithMinValues,
} from "@kubernetes-models/karpenter/karpenter.sh/v1";
export type { INodeOverlay as NodeOverlay } from "@kubernetes-models/karpenter/karpenter.sh/v1alpha1";
export type { IScaledObject as ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
export type {
  IAdmissionOperation as KyvernoOperation,
  IAnyAllConditions as KyvernoConditions,
  IClusterPolicy as ClusterPolicy,
  IContextEntry as KyvernoContextEntry,
  IMatchResources as KyvernoMatchResources,
  IRule as KyvernoRule,
  ISpec as ClusterPolicySpec,
  IValidation as KyvernoValidation,
} from "@kubernetes-models/kyverno/kyverno.io/v1";
export type {
  IAlertmanager as Alertmanager,
  IPodMonitor as PodMonitor,
  IPrometheus as Prometheus,
  IProbe as PrometheusProbe,
  IPrometheusRule as PrometheusRule,
  IRelabelConfig as RelabelConfig,
  IServiceMonitor as ServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
export type { IScrapeConfig as ScrapeConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1";
export type { IObjectMeta as ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
export type { ILabelSelector as LabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
export type { ILabelSelectorRequirement as LabelSelectorRequirement } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelectorRequirement";
export type {
  INamedRuleWithOperations as AdmissionRule,
  IValidation as AdmissionValidation,
  IVariable as AdmissionVariable,
  IValidatingAdmissionPolicy as ValidatingAdmissionPolicy,
  IValidatingAdmissionPolicyBinding as ValidatingAdmissionPolicyBinding,
} from "kubernetes-models/admissionregistration.k8s.io/v1";
export type {
  IDaemonSet as DaemonSet,
  IDeployment as Deployment,
  IDeploymentSpec as DeploymentSpec,
  IReplicaSet as ReplicaSet,
} from "kubernetes-models/apps/v1";
export type {
  ICrossVersionObjectReference as CrossVersionObjectReference,
  IHorizontalPodAutoscaler as HorizontalPodAutoscaler,
} from "kubernetes-models/autoscaling/v2";
export type { ICronJob as CronJob, IJob as Job } from "kubernetes-models/batch/v1";
export type {
  IIngress as Ingress,
  INetworkPolicy as NetworkPolicy,
  INetworkPolicyEgressRule as NetworkPolicyEgressRule,
  INetworkPolicyPeer as NetworkPolicyPeer,
  INetworkPolicyPort as NetworkPolicyPort,
  INetworkPolicySpec as NetworkPolicySpec,
} from "kubernetes-models/networking.k8s.io/v1";
export type { IPodDisruptionBudget as PodDisruptionBudget } from "kubernetes-models/policy/v1";
export type {
  IClusterRole as ClusterRole,
  IClusterRoleBinding as ClusterRoleBinding,
  IPolicyRule as PolicyRule,
  IRole as Role,
  IRoleBinding as RoleBinding,
} from "kubernetes-models/rbac.authorization.k8s.io/v1";
export type { IPriorityClass as PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1";
export type { IStorageClass as StorageClass } from "kubernetes-models/storage.k8s.io/v1";
export type {
  IAffinity as Affinity,
  IConfigMap as ConfigMap,
  IContainer as Container,
  IContainerPort as ContainerPort,
  IEnvFromSource as EnvFromSource,
  IEnvVar as EnvVar,
  ILimitRange as LimitRange,
  INamespace as Namespace,
  INode as Node,
  INodeSelectorRequirement as NodeSelectorRequirement,
  IPersistentVolume as PersistentVolume,
  IPersistentVolumeClaim as PersistentVolumeClaim,
  IPod as Pod,
  IPodSecurityContext as PodSecurityContext,
  IPodSpec as PodSpec,
  IPodTemplateSpec as PodTemplateSpec,
  IProbe as Probe,
  IResourceQuota as ResourceQuota,
  IResourceRequirements as ResourceRequirements,
  ISecret as Secret,
  ISecurityContext as SecurityContext,
  IService as Service,
  IServiceAccount as ServiceAccount,
  IServiceSpec as ServiceSpec,
  ITaint as Taint,
  IToleration as Toleration,
  ITopologySpreadConstraint as TopologySpreadConstraint,
  IVolume as Volume,
  IVolumeMount as VolumeMount,
} from "kubernetes-models/v1";

/** Any Kubernetes object: what a chart template yields, what kubectl returns, what a policy test case holds. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: IObjectMeta;
}

/** An object with the name every stored object has: what the API server returns, what a test case names. */
export type Named<T extends KubeObject = KubeObject> = T & { metadata: IObjectMeta & { name: string } };
