/**
 * Markup built from the data alone, so that the reports (`validate --report`, `test-install --report`, the bench's
 * plots) are well-formed XML (an SVG file, or HTML that an XML parser also reads) and the same data always gives the
 * same bytes: text and attributes are escaped here, numbers are rounded here, attributes keep their given order.
 */

/** Markup already built: a child that `h` inserts as is (a plain string child is text, and escaped). */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Child = string | number | Markup | undefined | false;
export type Attrs = Record<string, string | number | undefined | false>;

export const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A number as markup writes it: at most two decimals, no `-0`, no exponent for the sizes a picture has. */
export const num = (x: number): string => {
  const rounded = Math.round(x * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
};

const text = (c: Child): string =>
  c === undefined || c === false ? "" : c instanceof Markup ? c.text : typeof c === "number" ? num(c) : escapeXml(c);

/**
 * Elements written `<x/>` when empty: HTML's void elements and SVG's shapes. Any other empty element is written
 * `<x></x>`, since an HTML parser reads `<div/>` as an open `<div>`.
 */
const selfClosing = new Set([
  "meta",
  "br",
  "hr",
  "img",
  "link",
  "rect",
  "line",
  "circle",
  "path",
  "polyline",
  "polygon",
]);

/** One element: `h("td", { class: "fail" }, "2 failed")`. Attributes that are undefined or false are left out. */
export const h = (tag: string, attrs: Attrs = {}, ...children: Child[]): Markup => {
  const attributes = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== false)
    // A newline in an attribute is kept as one (an XML parser would read a bare one as a space).
    .map(([k, v]) => ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v).replace(/\n/g, "&#10;")}"`)
    .join("");
  const inner = children.map(text).join("");
  return new Markup(
    inner === "" && selfClosing.has(tag) ? `<${tag}${attributes}/>` : `<${tag}${attributes}>${inner}</${tag}>`,
  );
};

/** Siblings, one per line (a diff of two reports then reads line by line). */
export const lines = (children: Child[]): Markup => new Markup(children.map(text).filter(Boolean).join("\n"));

/** A standalone SVG document of `width` × `height`, its children one per line (the XML declaration first). */
export const svgDocument = (width: number, height: number, attrs: Attrs, children: Child[]): string => {
  const svg = h(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      "font-family": "sans-serif",
      ...attrs,
    },
    lines(children),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
};
