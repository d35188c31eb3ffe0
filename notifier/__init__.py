"""EU AI Act GPAI obligation timeline and deadline notifier."""

__version__ = "0.1.0"
