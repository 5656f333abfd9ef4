"""Pydantic models of the output contract and their exported JSON Schema files."""

from schemas.model import SCHEMA_NAME, SCHEMA_VERSION, Issue, RunResult

__all__ = ["SCHEMA_NAME", "SCHEMA_VERSION", "Issue", "RunResult"]
