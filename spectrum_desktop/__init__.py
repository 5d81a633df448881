"""Spectrum Desktop: send order acknowledgements and full orders to the Spectrum API."""

APP_NAME = "spectrum-desktop"
APP_DISPLAY_NAME = "Spectrum Desktop"
__version__ = "0.1.0"  # the one home of the version: pyproject.toml reads it from here
