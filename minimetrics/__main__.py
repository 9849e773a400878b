"""``python -m minimetrics``."""

from minimetrics.cli import run

run()
