/**
 * The platform's log pipeline as others meet it (the runtime suite, a log backend's queries): where its collector
 * runs, how its pods are labelled, and the attribute that names each line's tenant.
 */

/**
 * The log collector's own namespace: it reads the node's files (a hostPath volume), which no Pod Security level but
 * `privileged` admits, so it cannot live in the platform's restricted namespace.
 */
export const logsNamespace = "llmcharts-logs";

/** The collector's pods carry this component label; its NetworkPolicy selects them by it. */
export const logsComponent = "log-collector";

/** The resource attribute every line carries: the tenant's name, its namespace without the tenant- prefix. */
export const tenantAttribute = "tenant";
