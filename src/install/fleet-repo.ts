/**
 * The git repository Argo CD reads in the install suite: the generated tenant chart (at `generated/tenant`, tagged
 * with its version, as a release of this repository would be) and a fleet folder (`tenants/<name>/values.yaml`, the
 * platform chart's default glob, and the site layer beside them, `tenants/site.yaml`), on branch main. Argo CD reads it through a file:// URL, as upstream's own
 * end-to-end tests read theirs; no git server runs.
 */
import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runStep } from "../lib/run.js";

/** git with no user or system configuration, and a fixed author and date: the same commits every run. */
const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "llmcharts",
  GIT_AUTHOR_EMAIL: "llmcharts@example.com",
  GIT_COMMITTER_NAME: "llmcharts",
  GIT_COMMITTER_EMAIL: "llmcharts@example.com",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
});

export class FleetRepo {
  private constructor(
    readonly dir: string,
    /** The tag of the tenant chart's commit: `tenant-<chart version>`. */
    readonly chartTag: string,
    /** Tenant names of the fleet folder, in order. */
    readonly tenants: string[],
  ) {}

  /** Where Argo CD finds it. */
  get url(): string {
    return `file://${this.dir}`;
  }

  /** Writes the repository: the tenant chart from `tenantChartDir`, the fleet folder from `fleetDir`; one commit. */
  static async create(dir: string, tenantChartDir: string, fleetDir: string): Promise<FleetRepo> {
    cpSync(tenantChartDir, join(dir, "generated", "tenant"), { recursive: true });
    cpSync(fleetDir, join(dir, "tenants"), { recursive: true });
    const version = String(parse(readFileSync(join(tenantChartDir, "Chart.yaml"), "utf8")).version);
    // One folder per tenant; a file beside them (the site layer, site.yaml) is no tenant.
    const tenants = readdirSync(join(dir, "tenants"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const repo = new FleetRepo(dir, `tenant-${version}`, tenants);
    await repo.git("init", "--quiet", "--initial-branch=main");
    await repo.git("add", "--all");
    await repo.git("commit", "--quiet", "-m", `tenant chart ${version} and a fleet of ${tenants.length} tenants`);
    await repo.git("tag", repo.chartTag);
    return repo;
  }

  /** Removes a tenant's folder in a commit of its own (a tenant leaving the fleet); returns the new commit. */
  async removeTenant(name: string): Promise<string> {
    await this.git("rm", "--quiet", "-r", join("tenants", name));
    await this.git("commit", "--quiet", "-m", `remove tenant ${name}`);
    return this.head();
  }

  async head(): Promise<string> {
    return (await this.git("rev-parse", "HEAD")).trim();
  }

  private async git(...args: string[]): Promise<string> {
    return (await runStep(`git ${args[0]}`, "git", args, { cwd: this.dir, env: gitEnv() })).stdout;
  }
}
