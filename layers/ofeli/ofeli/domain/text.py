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
