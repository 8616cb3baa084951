"""Live delivery over the websocket: protocol, per-connection state, the process's hub."""
