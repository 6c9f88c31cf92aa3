"""Pydantic models and pure business rules. No boto3 here."""
