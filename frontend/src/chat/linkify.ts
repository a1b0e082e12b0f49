/** A message's text cut into plain text and links, for rendering as text nodes and safe anchors. */
export type Part = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// http(s) only: javascript:, data: and the like are never made into links
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// punctuation that ends a sentence rather than the address
const TRAILING = /[.,;:!?)\]}'"]+$/;

export function linkify(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const candidate = match[0];
    const url = candidate.replace(TRAILING, '');
    if (!isSafe(url)) {
      continue;
    }
    if (start > last) {
      parts.push({ kind: 'text', text: text.slice(last, start) });
    }
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) {
    parts.push({ kind: 'text', text: text.slice(last) });
  }
  return parts;
}

function isSafe(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname.length > 0;
  } catch {
    return false;
  }
}
