type Attributes = Record<string, string | boolean | undefined>;

/** Creates an element with attributes (false/undefined omitted) and children. */
export function element<TTag extends keyof HTMLElementTagNameMap>(
  tag: TTag,
  attributes: Attributes = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[TTag] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) created.setAttribute(name, '');
    else if (typeof value === 'string') created.setAttribute(name, value);
  }
  created.append(...children);
  return created;
}

/** "14:05" in the browser's locale. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
