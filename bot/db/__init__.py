"""Database: connection, migrations and repositories (all SQL lives here)."""
