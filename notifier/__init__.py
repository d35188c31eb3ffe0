"""EU AI Act GPAI obligation timeline and deadline notifier."""
