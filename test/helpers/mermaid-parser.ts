/**
 * Mermaid's own parser, in Node. mermaid.parse runs the real stateDiagram grammar and fills its
 * diagram database, but on the way it passes every label through DOMPurify, which in Node (no
 * window) has no functions: `DOMPurify.addHook is not a function`. The sanitiser is the browser's
 * business, not the grammar's, so it is replaced here by the identity; everything else is mermaid's.
 */
import DOMPurify from 'dompurify';

const purify = DOMPurify as unknown as Record<string, unknown>;
if (typeof purify.sanitize !== 'function') {
  purify.addHook = () => {};
  purify.removeHook = () => {};
  purify.removeAllHooks = () => {};
  purify.sanitize = (text: unknown) => String(text);
}
const mermaid = (await import('mermaid')).default;

export interface ParsedNode {
  id: string;
  parentId?: string;
  label?: string;
  cssClasses?: string;
  isGroup: boolean;
}
export interface ParsedEdge {
  start: string;
  end: string;
  label?: string;
}

/** Parses `text` (throws mermaid's own parse error) and returns the nodes and edges mermaid built. */
export async function parseMermaid(text: string): Promise<{ type: string; nodes: ParsedNode[]; edges: ParsedEdge[] }> {
  const { diagramType } = await mermaid.parse(text);
  const api = mermaid.mermaidAPI as unknown as { getDiagramFromText(text: string): Promise<{ db: { getData(): { nodes: ParsedNode[]; edges: ParsedEdge[] } } }> };
  const diagram = await api.getDiagramFromText(text);
  const { nodes, edges } = diagram.db.getData();
  return { type: diagramType, nodes, edges };
}
