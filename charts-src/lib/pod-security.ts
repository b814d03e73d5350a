import { Type } from "@sinclair/typebox";
import type { Helpers } from "./engine/index.js";
import type { PodSecurityContext, SecurityContext, Volume, VolumeMount } from "./k8s.js";
import { strictObject } from "./values-shapes.js";

/**
 * Security contexts that satisfy the Pod Security Standard `restricted` (the level every tenant namespace enforces),
 * declared once so that every workload of every chart runs the same way: a fixed non-root identity, no privilege
 * escalation, no capabilities, the runtime's default seccomp profile and a read-only root filesystem whose few
 * writable paths are emptyDir volumes.
 */

/** The non-root identity a pod runs as. */
export interface PodIdentity {
  /** User id of every container (never 0). */
  uid: number;
  /** Primary group id. */
  gid: number;
  /** Group that owns mounted volumes that support ownership changes (EBS); EFS access points ignore it. */
  fsGroup: number;
}

/**
 * The uids the charts' applications run as by default: above 10000, outside the range a host gives its own users,
 * so that a container escaping to the host is nobody there (checkov CKV_K8S_40, kube-score). Each application its
 * own, so that one's files are not the other's.
 */
export const defaultAppUids = { openwebui: 10001, ollama: 10002, wakeProxy: 10003, modelPull: 10004 } as const;

/** The `runAs` values of a workload: its uid and gid (also the fsGroup of its volumes). */
export const runAsValues = (description: string, uid: number) => {
  const id = (what: string) =>
    Type.Integer({
      description: `${what} (not 0; keep it above 10000, outside the host's own users, unless an image or a volume's owner needs another).`,
      default: uid,
      minimum: 1,
      maximum: 2147483647,
    });
  return strictObject(description, {
    uid: id("User id of every container"),
    gid: id("Primary group id, and the group that owns the pod's volumes"),
  });
};

/** The identity of a workload whose `runAs` values are `runAs`: the gid owns its volumes. */
export const identityOf = (runAs: { uid: number; gid: number }): PodIdentity => ({
  uid: runAs.uid,
  gid: runAs.gid,
  fsGroup: runAs.gid,
});

/** The pod-level security context: non-root, a fixed identity, RuntimeDefault seccomp. */
export const restrictedPodSecurityContext = (id: PodIdentity): PodSecurityContext => ({
  runAsNonRoot: true,
  runAsUser: id.uid,
  runAsGroup: id.gid,
  fsGroup: id.fsGroup,
  // Changing ownership of a large volume on every start is slow; only do it when the root of the volume differs.
  fsGroupChangePolicy: "OnRootMismatch",
  seccompProfile: { type: "RuntimeDefault" },
});

/**
 * The container-level security context: no privilege, no capabilities, read-only root filesystem. The same for
 * every container, so written once as the chart's `securityContext.restricted`.
 */
export const restrictedContainerSecurityContext = (h: Helpers): SecurityContext =>
  h.partial(
    "securityContext.restricted",
    () => ({
      runAsNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    }),
    "Every container: no privilege, no capabilities, a read-only root filesystem (Pod Security's restricted level).",
  );

/** Volume types a `restricted` pod may use. */
export const restrictedVolumeTypes = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
] as const;

/** A writable directory on a read-only root filesystem: an emptyDir volume and where it is mounted. */
export interface ScratchDir {
  name: string;
  mountPath: string;
  /** Upper bound on what the directory may hold (counts against the node's ephemeral storage). */
  sizeLimit: string;
}

/** The emptyDir volumes and mounts for a container's writable directories. */
export const scratchDirs = (dirs: readonly ScratchDir[]): { volumes: Volume[]; mounts: VolumeMount[] } => ({
  volumes: dirs.map((d) => ({ name: d.name, emptyDir: { sizeLimit: d.sizeLimit } })),
  mounts: dirs.map((d) => ({ name: d.name, mountPath: d.mountPath })),
});
