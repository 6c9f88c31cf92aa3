"""Messaging: the thread between a structure and the Carif-Oref, and personal memos.

Its routes arrive with the issue that builds the capability; template.yaml declares them with it.
"""

from __future__ import annotations

from ofeli.api import lambda_handler, make_app

app = make_app()

handler = lambda_handler(app)
