// The one XML escaper: every attribute and text node podlab writes goes through it.

/** Characters XML 1.0 cannot hold at all (control characters other than tab, newline and return). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlEscape(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** `<name a="1">children</name>`, or `<name a="1"/>` without children; attributes left undefined are left out. */
export function element(name: string, attrs: Record<string, string | number | undefined>, children?: string): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
  return children === undefined || children === '' ? `<${name}${a}/>` : `<${name}${a}>${children}</${name}>`;
}
