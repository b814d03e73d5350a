import { execFileSync } from "node:child_process";
import { expect, test } from "vitest";
import { imageArchive } from "../../src/images/build.js";
import { images } from "../../src/images/catalog.js";

// `npm test` (vitest) and the CLI and benches (tsx) must find the same archive, or each rebuilds the images and
// deletes the other's.
test("an image's archive is the same whichever runner loads the builders", () => {
  const script = `import("./src/images/build.ts").then(async (b) => { const c = await import("./src/images/catalog.ts"); console.log(JSON.stringify(c.images.map(b.imageArchive))); })`;
  const fromTsx = JSON.parse(
    execFileSync("npx", ["tsx", "-e", script], { cwd: process.cwd(), encoding: "utf8" }).trim().split("\n").at(-1) ??
      "[]",
  );
  expect(fromTsx).toEqual(images.map(imageArchive));
});
