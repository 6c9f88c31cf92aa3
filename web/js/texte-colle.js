// Text pasted from a word processor, made plain (the guide: "attention aux caractères spéciaux quand vous
// réalisez des copier-coller"): control characters, soft hyphens and zero-width characters dropped, odd
// spaces made spaces, bullets made "- ", spaces at the ends of lines and runs of blank lines removed; a
// one-line text (a title) has its line breaks made spaces too.
//
// The twin of `clean_pasted` in layers/ofeli/ofeli/domain/text.py: both pass every case of
// tests/fixtures/texte-colle.json (tests/web/texte-colle.test.mjs). The page cleans on paste and before
// sending; the API cleans what it receives the same way.

const INVISIBLE = /[\u00ad\u200b\u200c\u200d\u2060\ufeff]/g; // soft hyphen, zero-width characters
const ODD_SPACE = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g; // tabs and unusual spaces
const DROPPED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g; // control characters but line breaks
// A bullet a word processor puts at the start of a line (Word's Symbol bullets are private-use characters).
const BULLET =
  /^ *[\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u27a2\u27a4\u2713\u2714\u00b7\uf0b7\uf0a7\uf0d8\uf076\uf0fc] */gm;

/**
 * @param {string} value the text as pasted or typed
 * @param {{oneLine?: boolean}} options oneLine: a title, whose line breaks become spaces
 * @returns {string} the plain text
 */
export function cleanPasted(value, { oneLine = false } = {}) {
  let text = String(value ?? "")
    .replace(/\r\n/g, "\n")
    .replace(/[\r\u2028\u2029]/g, "\n");
  text = text.replace(INVISIBLE, "").replace(DROPPED, "");
  text = text.replace(ODD_SPACE, " ");
  if (oneLine) text = text.replace(/\n/g, " ");
  text = text.replace(BULLET, "- ");
  const lines = text.split("\n").map((line) => line.replace(/ {2,}/g, " ").trim());
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/**
 * Cleans what is pasted into `input` (an <input> or a <textarea>) before it lands there, at the caret,
 * then tells the page with an "input" event (counters, unsaved changes).
 * @param {HTMLInputElement|HTMLTextAreaElement} input
 * @param {{oneLine?: boolean}} options
 */
export function cleanOnPaste(input, { oneLine = false } = {}) {
  input.addEventListener("paste", (event) => {
    const pasted = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!pasted) return;
    const cleaned = cleanPasted(pasted, { oneLine });
    if (cleaned === pasted) return;
    event.preventDefault();
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.setRangeText(cleaned, start, end, "end");
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
