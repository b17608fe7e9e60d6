"""Allows `python -m kokeilu`."""

from kokeilu.cli import main

raise SystemExit(main())
