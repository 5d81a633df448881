
from spectrum_desktop.sandbox.server import Received, SandboxServer

__all__ = ["Received", "SandboxServer"]
