/**
 * A chart's version is SemVer and never goes down: Helm and Artifact Hub order releases by it, and an operator's
 * `helm upgrade` to a lower version would be a downgrade that nothing announced.
 */
import { lt, valid } from "semver";

/** Each chart whose version is not SemVer or is lower than the committed one, with the fix. */
export const versionProblems = (
  previous: Record<string, { version: string }>,
  current: Record<string, { version: string }>,
): string[] =>
  Object.entries(current).flatMap(([name, { version }]) => {
    const where = `\`version\` in charts-src/${name}/chart.ts`;
    if (!valid(version)) return [`${name}: version "${version}" is not SemVer (MAJOR.MINOR.PATCH); fix ${where}`];
    const before = previous[name]?.version;
    if (before && valid(before) && lt(version, before))
      return [`${name}: version ${version} is lower than the committed ${before}; raise ${where} above ${before}`];
    return [];
  });
