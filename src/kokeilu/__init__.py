"""kokeilu: the registry of a municipal employment pilot, its rules, shares and dashboard.

Importing the package is cheap on purpose: the command line must start fast, so nothing here
imports Textual, polars or tomlkit.
"""

__version__ = "0.1.0"
