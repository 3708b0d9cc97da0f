"""Pure logic: no discord, no database."""
