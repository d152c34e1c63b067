/**
 * Building the page's DOM without ever parsing text as HTML: every string becomes a text node,
 * attributes are set one by one. Process names, output lines, spec values and errors reach the
 * page only through here, so a process that prints `<script>` shows those characters.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  readonly className?: string;
  readonly title?: string;
  /** Only the page's own links (`#/p/NAME`), built by the page. */
  readonly href?: string;
  readonly type?: string;
  readonly value?: string;
  readonly placeholder?: string;
  readonly disabled?: boolean;
  readonly checked?: boolean;
  readonly testId?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly onClick?: (event: Event) => void;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className !== undefined) node.className = props.className;
  if (props.title !== undefined) node.title = props.title;
  if (props.href !== undefined) node.setAttribute('href', props.href);
  if (props.type !== undefined) node.setAttribute('type', props.type);
  if (props.value !== undefined) (node as HTMLInputElement).value = props.value;
  if (props.placeholder !== undefined) node.setAttribute('placeholder', props.placeholder);
  if (props.disabled !== undefined) (node as HTMLButtonElement).disabled = props.disabled;
  if (props.checked !== undefined) (node as HTMLInputElement).checked = props.checked;
  if (props.testId !== undefined) node.dataset.testid = props.testId;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  if (props.onClick !== undefined) node.addEventListener('click', props.onClick);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}
