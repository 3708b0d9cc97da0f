"""Harbor test suite."""
