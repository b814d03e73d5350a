import type { Helpers } from "../lib/engine/index.js";
import type { Container, EnvVar, VolumeMount } from "../lib/k8s.js";
import { restrictedContainerSecurityContext } from "../lib/pod-security.js";
import { imageRef } from "../lib/workload.js";
import type { TenantValues } from "./values.js";

/**
 * OpenWebUI's database migrations, once for all replicas. On Postgres every replica would run the Alembic migrations
 * as it starts (ENABLE_DB_MIGRATIONS) and, started together, race on creating the same tables (seen: UniqueViolation
 * on alembic_version, one restart per first start). Instead an init container of each replica runs them under a
 * Postgres advisory lock: the first migrates, the others wait and find the schema current; OpenWebUI itself then
 * starts with ENABLE_DB_MIGRATIONS=false. A Helm hook Job cannot do it: before the install (pre-install, Argo CD's
 * PreSync) neither the tenant namespace nor its secrets exist, and after it the replicas are already starting.
 *
 * With pgvector the same container first checks the extension, which only a privileged role may create (rds_superuser
 * on Aurora): if it is missing and cannot be created, the pod stops in its init container, before any migration, with
 * a message saying what to run, instead of OpenWebUI crashing on it later.
 */

/** Runs in OpenWebUI's image, with OpenWebUI's env (DATABASE_URL, VECTOR_DB) and its own SQLAlchemy engine. */
export const migrationsScript = `
import os, sys
from alembic import command
from alembic.config import Config
from open_webui.env import OPEN_WEBUI_DIR
from open_webui.internal.db import engine
from sqlalchemy import text

with engine.connect() as db:
    db.execute(text("SELECT pg_advisory_lock(hashtext('open-webui migrations'))"))
    # pgvector first: a database OpenWebUI cannot use is refused before anything in it changes.
    if os.environ.get('VECTOR_DB') == 'pgvector':
        if db.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'vector'")).first() is None:
            try:
                db.execute(text('CREATE EXTENSION vector'))
                db.commit()
            except Exception as e:
                db.rollback()
                who = db.execute(text('SELECT current_user, current_database()')).first()
                sys.exit(
                    f'pgvector: the extension "vector" is not created in database {who[1]} and role {who[0]} may not '
                    f'create it ({type(e.__cause__ or e).__name__}). Create it once as a privileged role '
                    '(rds_superuser on Aurora): CREATE EXTENSION vector; then restart this pod. '
                    'See the tenant chart README, "Several replicas".'
                )
    alembic = Config(str(OPEN_WEBUI_DIR / 'alembic.ini'))
    alembic.set_main_option('script_location', str(OPEN_WEBUI_DIR / 'migrations'))
    command.upgrade(alembic, 'head')
print('database schema current' + (', pgvector present' if os.environ.get('VECTOR_DB') == 'pgvector' else ''))
`.trim();

/** Marks the app's own migrations off: the init container has run them. */
export const appMigrationsEnv: EnvVar = { name: "ENABLE_DB_MIGRATIONS", value: "false" };

/** The init container (Postgres only; SQLite means one replica, which migrates its own file as it starts). */
export const migrationsInitContainer = (
  v: TenantValues,
  h: Helpers,
  env: EnvVar[],
  mounts: VolumeMount[],
): Container => ({
  name: "migrations",
  image: imageRef(h, v.openwebui.image, v.global),
  imagePullPolicy: v.openwebui.image.pullPolicy,
  command: ["python3", "-c", migrationsScript],
  env,
  resources: v.openwebui.resources,
  securityContext: restrictedContainerSecurityContext(h),
  volumeMounts: mounts,
});
