"""The ASGI entry point for uvicorn and other servers: settings from the environment.

`commons serve` runs it with the websocket settings in server/cli.py (`WEBSOCKET_PROTOCOL`,
`WEBSOCKET_OPTIONS`): uvicorn's sans-I/O `websockets` protocol, through which live frames are
written directly (server/live/direct.py). Run under another server, or uvicorn with another
`--ws`, the app sends every live frame through ASGI instead, and its first socket's log line
says so ("live delivery: ..."). Prefer `commons serve`; under uvicorn by hand, give at least
`--ws websockets-sansio --ws-per-message-deflate false` (server/cli.py says why).
"""

from server import gc_tuning
from server.app import create_app
from server.settings import Settings

app = create_app(Settings.from_env())
gc_tuning.settle()  # a serving process only: tests build many apps in one process
