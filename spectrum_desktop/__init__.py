"""Spectrum Desktop: send order acknowledgements and full orders to the Spectrum API."""

from importlib import metadata

APP_NAME = "spectrum-desktop"
APP_DISPLAY_NAME = "Spectrum Desktop"


def _version() -> str:
    try:
        return metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:
        return "0.1.0+source"


__version__ = _version()
