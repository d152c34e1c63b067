/**
 * Cutting text for messages without splitting a character. A UTF-16 slice can cut a surrogate
 * pair in half, and a lone surrogate is not valid UTF-8: grpc-js throws URIError on it when it
 * encodes a status message (which once ended the daemon), and JSON consumers may reject it.
 */

/** The first `max` code points of `text` (all of it when shorter). */
export function firstCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (let kept = 0; kept < max && end < text.length; kept++) {
    end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}

/** `text` cut to at most `max` code points, `...` (counted in `max`) marking a cut. */
export function clip(text: string, max: number): string {
  if (firstCodePoints(text, max).length === text.length) return text;
  return `${firstCodePoints(text, max - 3)}...`;
}
