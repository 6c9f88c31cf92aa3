"""The local stack: AWS emulated in-process by moto, resources and routes read from template.yaml,
the API routed to the real handlers, queue and schedule events delivered to the real workers."""
