"""Exports: Excel and LHEO 2.3 export requests and the bell of generated files.

Its routes arrive with the issue that builds the capability; template.yaml declares them with it.
"""

from __future__ import annotations

from ofeli.api import lambda_handler, make_app

app = make_app()

handler = lambda_handler(app)
