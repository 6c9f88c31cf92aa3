"""Partners: the signed URL of the published LHEO 2.3 feed, behind X-Api-Key.

Its routes arrive with the issue that builds the capability; template.yaml declares them with it.
"""

from __future__ import annotations

from ofeli.api import lambda_handler, make_app

app = make_app()

handler = lambda_handler(app)
