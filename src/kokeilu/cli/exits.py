"""kokeilu's exit codes, the same for every command: scripts and CI tell the outcomes apart."""

from __future__ import annotations

# 0: done (or the registry is without errors); 1: errors found, or refused (git's words);
# 2: nothing to work on (the file unreadable, a usage error).
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
