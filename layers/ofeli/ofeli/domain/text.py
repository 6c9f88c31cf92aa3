"""What a text may hold. Pure, French messages.

- No text holds a control character: C0 controls but tab, line feed and carriage return, DEL, C1
  controls, nor a lone UTF-16 surrogate (JSON's `"\\ud800"` decodes to one, and no store can encode it).
  `ofeli.api` applies this to every string of every request, whatever the route.
- A one-line text (`Line`: names, e-mails, labels, identifiers) holds no tab nor line break either;
  long texts (messages, comments, memos, the contact request) keep theirs.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

CONTROL_CHARACTER = "Ce champ contient un caractère de contrôle non autorisé."
LINE_BREAK = "Ce champ doit tenir sur une ligne : retirez les tabulations et les retours à la ligne."

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAK = re.compile("[\t\n\r\u2028\u2029]")


def control_error(value: str) -> str | None:
    """Why `value` cannot be stored as a text, or None (tabs and line breaks are allowed)."""
    return CONTROL_CHARACTER if _CONTROL.search(value) else None


def line_error(value: str) -> str | None:
    """Why `value` is not a one-line text, or None."""
    if error := control_error(value):
        return error
    return LINE_BREAK if _BREAK.search(value) else None


def _line(value: str) -> str:
    if error := line_error(value):
        raise ValueError(error)
    return value


Line = Annotated[str, AfterValidator(_line)]


# ---------------------------------------------------------------------- text pasted from a word processor
# The guide warns about "caractères spéciaux" in copied and pasted text. Long texts of the offer
# (title, objective, content...) are cleaned on entry, the same way by the page (web/js/texte-colle.js,
# on paste and before sending) and here: both pass the cases of tests/fixtures/texte-colle.json.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width characters
_ODD_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # tabs and unusual spaces
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # control characters but line breaks
# A bullet a word processor puts at the start of a line (Word's Symbol bullets are private-use characters).
_BULLET = re.compile(
    "^[ ]*[\u2022\u25e6\u25aa\u25ab\u2023\u2043\u25cf\u25cb\u25a0\u25a1\u27a2\u27a4\u2713\u2714\u00b7"
    "\uf0b7\uf0a7\uf0d8\uf076\uf0fc][ ]*",
    re.MULTILINE,
)


def clean_pasted(value: str, *, one_line: bool = False) -> str:
    """Text as a word processor pastes it, made plain: control characters, soft hyphens and zero-width
    characters dropped, odd spaces made spaces, bullets made "- ", spaces at the ends of lines and runs of
    blank lines removed. A one-line text (a title) has its line breaks made spaces too."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _DROPPED.sub("", _INVISIBLE.sub("", text))
    text = _ODD_SPACE.sub(" ", text)
    if one_line:
        text = text.replace("\n", " ")
    text = _BULLET.sub("- ", text)
    lines = [re.sub(" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub("\n{3,}", "\n\n", "\n".join(lines)).strip()


def xml_escape(text: str) -> str:
    """A text as XML element content (the exports write their markup themselves): `&`, `<`, `>` escaped, and a
    carriage return kept as a character reference (an XML reader would turn a raw one into a line feed)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text
