"""One screen per module; the app wires them together."""
