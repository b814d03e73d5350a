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

// Each image is keyed by its own recipe: an edit to the OpenWebUI recipe rebuilds OpenWebUI, not the small images, and
// an edit to the catalog's images leaves the OpenWebUI archive (minutes to rebuild) alone.
test("an image's archive changes with its own recipe's modules and no other image's", () => {
  const openwebui = images.find((i) => i.name === "open-webui");
  const ollama = images.find((i) => i.name === "ollama");
  if (!openwebui || !ollama) throw new Error("the catalog lost an image");
  expect(openwebui.recipe).toEqual(["openwebui.ts"]);
  expect(imageArchive({ ...openwebui, recipe: [...openwebui.recipe, "catalog.ts"] })).not.toBe(imageArchive(openwebui));
  expect(ollama.recipe).not.toContain("openwebui.ts");
});
