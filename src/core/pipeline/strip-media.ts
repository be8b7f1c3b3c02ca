// Inline media reaches spans through captured LLM messages: data URLs (OpenAI image_url, Vercel
// AI SDK), bare base64 fields (Anthropic image source, OpenAI input_audio, Gemini inlineData).
// A base64 run this long is binary data, never prose, an id or a key.
const MIN_RUN = 512;
const DATA_URL = /data:([A-Za-z]+\/[A-Za-z0-9.+-]+)?((?:;[A-Za-z0-9_.-]+=[^;,"'\s]*)*);base64,([A-Za-z0-9+/]*={0,2})/g;
const BASE64_RUN = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{512,}={0,2}(?![A-Za-z0-9+/=])/g;

/**
 * Replaces base64 media in `s` with `[media <type>, <n> bytes]`. The type comes from the data
 * URL, or from the file's leading bytes for bare base64; `≥` marks data cut short: by the
 * attribute value length limit (the data ends a value of `maxLength`), or by a captured value's
 * own limit (the data is followed by `…`).
 *
 * @param s - an attribute value
 * @param maxLength - the attribute value length limit the value was cut to
 * @example
 * stripMedia('{"url":"data:image/png;base64,iVBORw0KGgo..."}', 16384) // '{"url":"[media image/png, 48213 bytes]"}'
 */
export function stripMedia(s: string, maxLength: number): string {
  if (s.length < 64) return s;
  const full = s.length >= maxLength;
  const cut = (end: number, all: string): boolean => (full && end >= all.length) || all[end] === "…";
  let out = s;
  if (s.includes(";base64,")) {
    out = out.replace(DATA_URL, (_m, type: string | undefined, _params: string, data: string, offset: number, all: string) => placeholder(type ?? sniff(data), data, cut(offset + _m.length, all)));
  }
  if (out.length >= MIN_RUN) {
    out = out.replace(BASE64_RUN, (data: string, offset: number, all: string) => {
      const type = sniff(data);
      // Of unknown type, a run of capitals only (a protein or DNA sequence), small letters only
      // or hex digits (a hash, calldata) is text, not base64 of binary data; one letter repeated
      // (AAAA…, zero bytes such as silent audio) is media.
      return type === OCTET && /^(?:[A-Z]+|[a-z]+|(?:0x)?[\dA-Fa-f]+)$/.test(data) && !/^(.)\1*$/.test(data) ? data : placeholder(type, data, cut(offset + data.length, all));
    });
  }
  return out;
}

function placeholder(type: string, base64: string, cut: boolean): string {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  const bytes = Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
  return `[media ${type}, ${cut ? "≥" : ""}${bytes} bytes]`;
}

const OCTET = "application/octet-stream";

/** The media type from a file's first bytes, or application/octet-stream. */
function sniff(base64: string): string {
  let head: string;
  try {
    head = atob(base64.slice(0, 24));
  } catch {
    return OCTET;
  }
  const at = (i: number, text: string): boolean => head.startsWith(text, i);
  if (at(0, "\x89PNG")) return "image/png";
  if (at(0, "\xff\xd8\xff")) return "image/jpeg";
  if (at(0, "GIF8")) return "image/gif";
  if (at(0, "RIFF") && at(8, "WEBP")) return "image/webp";
  if (at(0, "RIFF") && at(8, "WAVE")) return "audio/wav";
  if (at(0, "ID3") || at(0, "\xff\xfb") || at(0, "\xff\xf3") || at(0, "\xff\xf2")) return "audio/mpeg";
  if (at(0, "OggS")) return "audio/ogg";
  if (at(0, "fLaC")) return "audio/flac";
  if (at(0, "%PDF")) return "application/pdf";
  if (at(4, "ftypM4A")) return "audio/mp4";
  if (at(4, "ftyp")) return "video/mp4";
  if (at(0, "\x1aE\xdf\xa3")) return "video/webm";
  return OCTET;
}
