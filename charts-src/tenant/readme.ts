/** README sections after the parameter table: what several OpenWebUI replicas need from Postgres. */
export const tenantReadme = `
## Several replicas: Postgres, pgvector, Redis

More than one OpenWebUI replica (\`openwebui.replicas\` > 1 or \`openwebui.autoscaling\`) needs Postgres
(\`database.type: postgres\`, its URL in the tenant's secret \`database-url\`), pgvector (\`vectorDb: pgvector\`), Redis
(\`redis.enabled\`, secret \`redis-url\`) and a ReadWriteMany data volume; the schema refuses anything less.

- **Migrations run once.** Every replica starts with an init container, \`migrations\`, that runs OpenWebUI's database
  migrations under a Postgres advisory lock: the first replica migrates, the others wait for it and find the schema
  current. OpenWebUI itself starts with \`ENABLE_DB_MIGRATIONS=false\`, so replicas started together no longer race on
  the same tables. An upgrade to a new OpenWebUI image migrates the same way, in its first new pod.
- **pgvector must exist in the database.** \`CREATE EXTENSION vector\` needs a privileged role (a superuser, or
  \`rds_superuser\` on Aurora and RDS), which the application's role should not be. Create it once, as that role, in the
  tenant's database: \`CREATE EXTENSION vector;\`. If it is missing and the tenant's role cannot create it, the
  \`migrations\` init container stops with a message saying so, and the pod waits in \`Init\` until the extension exists
  (restart the pod, or let its back-off retry).
- The database role needs to own the tenant's database (it creates and alters OpenWebUI's tables), and nothing more.
`;
