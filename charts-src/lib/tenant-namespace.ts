/**
 * Where a tenant lives: every tenant release renders into the namespace `tenant-<name>`, and the platform's
 * ApplicationSet deploys each tenant there. The prefix keeps tenants out of system and platform namespaces.
 */
export const tenantNamespacePrefix = "tenant-";

/** The namespace of the tenant called `tenant` (a plain name or a template placeholder). */
export const tenantNamespaceName = (tenant: string): string => `${tenantNamespacePrefix}${tenant}`;

/** Longest tenant name: it becomes part of namespace and object names (and of cluster-scoped volume names). */
export const tenantNameMaxLength = 30;
