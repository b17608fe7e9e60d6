"""Text as people read it: the string catalogues (English, Finnish), literal display of registry text, the one JSON printer."""
