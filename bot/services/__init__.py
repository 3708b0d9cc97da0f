"""Orchestration between cogs, domain and repositories."""
