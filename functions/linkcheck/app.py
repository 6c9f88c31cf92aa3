"""The nightly check of the offer's web links (EventBridge schedule): block "Erreur liens site internet"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from ofeli import observability
from ofeli.services import deferred

if TYPE_CHECKING:
    from ofeli.services import linkcheck
else:  # imported at the first route that calls them (cold start)
    (linkcheck,) = deferred("linkcheck")


def check(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = linkcheck.run(trigger=str(event.get("source", "schedule")))
    return {"started_at": run["started_at"], "checked": run["checked"], "broken": run["broken"]}


handler = observability.entry_point(check)
