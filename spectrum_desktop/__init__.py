"""Spectrum Desktop: send order acknowledgements and full orders to the Spectrum API."""

APP_NAME = "spectrum-desktop"
APP_DISPLAY_NAME = "Spectrum Desktop"


def _version() -> str:
    from importlib import metadata  # slow to import (~20 ms): only when the version is asked for

    try:
        return metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:
        return "0.1.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
