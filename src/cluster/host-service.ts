/**
 * A Service for a process of the host: no selector, and an EndpointSlice naming the host's address and the process's
 * port, so pods (through kube-proxy) and the API server (its endpoint routing) reach the process by a cluster name.
 */

export interface HostService {
  name: string;
  namespace: string;
  /** The Service's port, and the port the process listens on, on the host's address. */
  port: number;
  host: { ip: string; port: number };
  /** Links the Service's port to the EndpointSlice's: routing matches them by name. */
  portName: string;
}

export const hostServiceObjects = (s: HostService): object[] => [
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: s.name, namespace: s.namespace },
    spec: { ports: [{ name: s.portName, port: s.port, protocol: "TCP", targetPort: s.host.port }] },
  },
  {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${s.name}-host`,
      namespace: s.namespace,
      labels: {
        "kubernetes.io/service-name": s.name,
        // Not the EndpointSlice controller's (it manages only slices of Services with a selector).
        "endpointslice.kubernetes.io/managed-by": "cluster.llmcharts.io",
      },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [s.host.ip], conditions: { ready: true } }],
    ports: [{ name: s.portName, port: s.host.port, protocol: "TCP" }],
  },
];
