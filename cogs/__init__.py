"""Discord adapters, one module or package per feature; discovered automatically (names starting with _ are skipped)."""
