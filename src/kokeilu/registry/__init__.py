"""The registry as data: its model, schema, numeric limits, parsing (fast and tomlkit), positions in the text, typed values."""
