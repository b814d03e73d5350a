/**
 * The custom resources the charts create that no `kubernetes-models` package types, declared by hand from the CRDs
 * src/toolchain/pins.ts pins (`crdSources`): every field of their spec, so `tsc` checks them as it checks the rest.
 * Charts import them through k8s.ts like any API type; kubeconform (rung 3) checks renderings against the CRDs
 * themselves, so a field declared wrong here still fails there.
 */
import type { ObjectMeta } from "./k8s.js";

/** A point-in-time snapshot of a claim (external-snapshotter's `snapshot.storage.k8s.io/v1`). */
export interface VolumeSnapshot {
  apiVersion: "snapshot.storage.k8s.io/v1";
  kind: "VolumeSnapshot";
  metadata?: ObjectMeta;
  spec: {
    /** What to snapshot: a claim in the same namespace, or an existing VolumeSnapshotContent (one of the two). */
    source: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string };
    /** The class to take it with; empty takes the default class. */
    volumeSnapshotClassName?: string;
  };
}

/** How snapshots are taken: the CSI driver and what happens to the snapshot when its object is deleted. */
export interface VolumeSnapshotClass {
  apiVersion: "snapshot.storage.k8s.io/v1";
  kind: "VolumeSnapshotClass";
  metadata?: ObjectMeta;
  driver: string;
  deletionPolicy: "Delete" | "Retain";
  /** Driver-specific parameters. */
  parameters?: Record<string, string>;
}

/** A Service of the same namespace, by port number or port name. */
interface ServicePort {
  port?: number;
  portName?: string;
}

/** A route of the KEDA HTTP add-on's interceptor to a Service (`http.keda.sh/v1beta1`). */
export interface InterceptorRoute {
  apiVersion: "http.keda.sh/v1beta1";
  kind: "InterceptorRoute";
  metadata?: ObjectMeta;
  spec: InterceptorRouteSpec;
}

export interface InterceptorRouteSpec {
  /** The Service requests are routed to. */
  target: ServicePort & { service: string };
  /** What the add-on's scaler scales on (this platform's KEDA trigger reads the interceptor itself). */
  scalingMetric: {
    concurrency?: { targetValue: number };
    requestRate?: { targetValue: number; granularity?: string; window?: string };
  };
  /** Which requests the route takes: any host, path prefix (the longest wins), and all headers listed. */
  rules?: { hosts?: string[]; paths?: { value: string }[]; headers?: { name: string; value?: string }[] }[];
  /** How long a request waits: for a ready backend (scale from zero), for the whole request, for the headers. */
  timeouts?: { readiness?: string; request?: string; responseHeader?: string };
  /** While the target has no ready endpoint: another Service, or a static answer. */
  coldStart?: {
    fallback?: { service: ServicePort & { name: string } };
    placeholder?: {
      response: {
        statusCode?: number;
        headers?: Record<string, string>;
        body?: string;
        bodyFromConfigMap?: { name: string; key?: string };
      };
    };
  };
}

/**
 * An operator's own manifest, rendered as given beside the chart's (the tenant chart's `extraObjects`): a namespaced
 * kind the values allow, whose fields beyond its identity are the operator's and are checked by kubeconform (rung 3)
 * and the platform's policies, not here.
 */
export interface ExtraObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/**
 * A Traefik middleware (`traefik.io/v1alpha1`), of the two kinds the tenant chart uses: buffering, which holds a
 * request's body to refuse one larger than `maxRequestBodyBytes` with 413 (it holds the answer too, so never on a
 * streamed path), and rateLimit, a request budget per source.
 */
export interface TraefikMiddleware {
  apiVersion: "traefik.io/v1alpha1";
  kind: "Middleware";
  metadata?: ObjectMeta;
  spec: {
    buffering?: {
      /** Largest body accepted; larger gets 413. */
      maxRequestBodyBytes: number;
      /** Body bytes held in memory; the rest goes to a temporary file. */
      memRequestBodyBytes?: number;
    };
    /** A token bucket per source (Traefik's pkg/middlewares/ratelimiter): past it, 429 with Retry-After. */
    rateLimit?: {
      /** Requests per period, on average (0: no limit). */
      average: number;
      /** The period `average` counts over (a Go duration, 1s when left out). */
      period?: string;
      /** Requests at once before the average applies (at least 1). */
      burst?: number;
      /** What tells sources apart (the client IP when left out); a missing header is one source, "". */
      sourceCriterion?: { requestHeaderName?: string; requestHost?: boolean };
    };
  };
}
