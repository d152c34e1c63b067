/** The part of Mermaid's browser bundle (/assets/mermaid.min.js, a global) that the page uses. */
interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

interface Window {
  mermaid?: MermaidApi;
}
