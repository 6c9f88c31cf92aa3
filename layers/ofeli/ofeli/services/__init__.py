"""Use cases: what a route, a worker or the demo seed asks for, combining domain rules and storage."""
