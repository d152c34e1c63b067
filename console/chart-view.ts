/**
 * A process's statechart, drawn by Mermaid from the text the daemon sends (its active states
 * marked with a class, which the page's style lights). Mermaid's browser bundle is loaded from the
 * daemon the first time a chart is shown, so the table never pays for it. The text is the chart's
 * own (state names from the process chart): nothing a process prints or a spec says goes into it,
 * and Mermaid renders it with securityLevel 'strict'. A newer chart that arrives while one is
 * being drawn replaces it: only the newest is drawn next.
 */
import { el, replace } from './dom.js';

let loading: Promise<MermaidApi> | undefined;

function loadMermaid(): Promise<MermaidApi> {
  loading ??= new Promise<MermaidApi>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/assets/mermaid.min.js';
    script.addEventListener('load', () => {
      const mermaid = window.mermaid;
      if (mermaid === undefined) return reject(new Error('the Mermaid bundle did not load'));
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', fontFamily: 'system-ui, sans-serif' });
      resolve(mermaid);
    });
    script.addEventListener('error', () => reject(new Error('the Mermaid bundle is not installed with this daemon')));
    document.head.appendChild(script);
  });
  return loading;
}

let renders = 0;

export class ChartView {
  #drawn = '';
  #wanted = '';
  #drawing = false;

  constructor(private readonly container: HTMLElement) {}

  show(text: string): void {
    this.#wanted = text;
    if (!this.#drawing) void this.#draw();
  }

  async #draw(): Promise<void> {
    this.#drawing = true;
    try {
      while (this.#wanted !== this.#drawn) {
        const text = this.#wanted;
        if (text === '') {
          replace(this.container, el('p', { className: 'muted' }, 'no chart from this daemon'));
        } else {
          const mermaid = await loadMermaid();
          renders += 1;
          const { svg } = await mermaid.render(`statechart-${renders}`, text);
          // Mermaid's own SVG, sanitised by it (securityLevel 'strict'): the one markup the page inserts.
          this.container.innerHTML = svg;
        }
        this.#drawn = text;
        this.container.dataset.rendered = String(renders);
      }
    } catch (error) {
      this.#drawn = this.#wanted;
      replace(this.container, el('p', { className: 'error' }, `the chart could not be drawn: ${(error as Error).message}`));
    } finally {
      this.#drawing = false;
    }
  }
}
