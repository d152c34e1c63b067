/**
 * A process's statechart, drawn by Mermaid from the text the daemon sends, with the current
 * state lit. Drawing the chart (some 60 states laid out by Mermaid) takes the browser up to a
 * second, so it is drawn once; each move of the process only moves the light: the states the
 * daemon names as lit (Mermaid's node ids, as charts/mermaid.ts marks them `class … active`) get
 * the class `active`, the others lose it.
 *
 * Mermaid's browser bundle is loaded from the daemon the first time a chart is shown, so the
 * table never pays for it. The text is the chart's own (state names from the process chart):
 * nothing a process prints or a spec says goes into it, and Mermaid renders it with
 * securityLevel 'strict'. The chart is large (some 6,000 × 2,800 px at full size): it is shown
 * at half size in a scrolling box that follows the lit state, or fitted to the box's width.
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

/** How the drawing is scaled: to the box's width (the whole chart at a glance), or a share of its own size. */
export type Zoom = 'fit' | 0.5 | 1;

/** Mermaid's id of a state's node: `<svg id>-state-<state id>-<n>`. */
const nodeId = /-state-(.+)-\d+$/;

export class ChartView {
  #drawn = '';
  #wanted = '';
  #lit: readonly string[] = [];
  #drawing = false;
  /** Half size by default: the labels are readable, and the lit state is kept in view. */
  #zoom: Zoom = 0.5;

  constructor(private readonly container: HTMLElement) {}

  /** Buttons that set the zoom. */
  controls(): HTMLElement {
    const button = (zoom: Zoom, label: string) =>
      el('button', { type: 'button', testId: `zoom-${zoom === 'fit' ? 'fit' : zoom * 100}`, onClick: () => this.zoom(zoom) }, label);
    return el('span', { className: 'zoom' }, button('fit', 'fit'), button(0.5, '50%'), button(1, '100%'));
  }

  zoom(zoom: Zoom): void {
    this.#zoom = zoom;
    this.#scale();
    this.#follow();
  }

  /** Draws `text` (when it is not the chart drawn already) and lights the states `lit`. */
  show(text: string, lit: readonly string[]): void {
    this.#wanted = text;
    this.#lit = lit;
    if (this.#drawing) return;
    if (text === this.#drawn) this.#light();
    else void this.#draw();
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
          this.#scale();
        }
        this.#drawn = text;
      }
      this.#light();
    } catch (error) {
      this.#drawn = this.#wanted;
      replace(this.container, el('p', { className: 'error' }, `the chart could not be drawn: ${(error as Error).message}`));
    } finally {
      this.#drawing = false;
    }
  }

  #light(): void {
    const lit = new Set(this.#lit);
    for (const node of this.container.querySelectorAll<SVGGElement>('svg g.node')) {
      const state = nodeId.exec(node.id)?.[1];
      node.classList.toggle('active', state !== undefined && lit.has(state));
    }
    this.container.dataset.lit = [...lit].join(' ');
    this.#follow();
  }

  /** Mermaid sizes the drawing to its box; at a zoom, to a share of its own width. */
  #scale(): void {
    const svg = this.container.querySelector('svg');
    if (svg === null) return;
    const natural = Number(svg.getAttribute('viewBox')?.split(/\s+/)[2] ?? 0);
    svg.style.width = this.#zoom === 'fit' || !(natural > 0) ? '100%' : `${natural * this.#zoom}px`;
  }

  /** Scrolls the box (only the box: the page does not jump as the process moves) to the lit state. */
  #follow(): void {
    const lit = this.container.querySelector<SVGGElement>('svg g.node.active');
    if (this.#zoom === 'fit' || lit === null) return;
    const box = this.container.getBoundingClientRect();
    const at = lit.getBoundingClientRect();
    this.container.scrollLeft += at.left - box.left - (box.width - at.width) / 2;
    this.container.scrollTop += at.top - box.top - (box.height - at.height) / 2;
  }
}
