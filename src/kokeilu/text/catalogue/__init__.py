"""The string catalogues: the command line's and the core's words, and the dashboard's, per language."""
