"""The one save path: lock, fingerprint, write, commit; a working session over it; shared set-up for a group."""
