/**
 * A real XML parser for the reports the tests read: Python's expat (xml.etree), strict about well-formedness (an
 * unclosed tag, a bare `&` or `<`, a mismatched end tag all fail), so a report that parses here is well-formed for any
 * XML reader, and its HTML needs no error recovery in a browser.
 */
import { execFileSync } from "node:child_process";

export interface XmlNode {
  /** Local name, without the namespace. */
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** All the text inside the element, its descendants' included. */
  text: string;
}

const tree = `
import json, sys, xml.etree.ElementTree as ET
def node(e):
    return {"tag": e.tag.split("}")[-1], "attrs": {k.split("}")[-1]: v for k, v in e.attrib.items()},
            "children": [node(c) for c in e], "text": "".join(e.itertext())}
try:
    print(json.dumps(node(ET.fromstring(sys.stdin.buffer.read()))))
except ET.ParseError as err:
    sys.exit(f"not well-formed: {err}")
`;

/** The document's root element; throws with expat's message (line and column) when the markup is not well-formed. */
export const parseXml = (markup: string): XmlNode =>
  JSON.parse(execFileSync("python3", ["-c", tree], { input: markup, maxBuffer: 256 * 1024 * 1024 }).toString());

/** Every element under `root` (itself included) that `match` accepts, in document order. */
export const findAll = (root: XmlNode, match: (n: XmlNode) => boolean): XmlNode[] => [
  ...(match(root) ? [root] : []),
  ...root.children.flatMap((c) => findAll(c, match)),
];

export const byId = (root: XmlNode, id: string): XmlNode | undefined => findAll(root, (n) => n.attrs.id === id)[0];
