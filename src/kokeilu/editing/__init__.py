"""Edits: what a person changes, how it is written into the TOML text, who may make it, sheets of caseloads."""
