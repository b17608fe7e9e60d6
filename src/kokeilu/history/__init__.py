"""The registry's past: git as the one owner of git processes, the versions and their meaning (semantic diff)."""
