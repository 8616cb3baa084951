"""The ASGI entry point for uvicorn and other servers: settings from the environment."""

from server import gc_tuning
from server.app import create_app
from server.settings import Settings

app = create_app(Settings.from_env())
gc_tuning.settle()  # a serving process only: tests build many apps in one process
