"""Names of the dependencies handlers ask for, declared once (Litestar wants them marked explicitly)."""

from __future__ import annotations

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from network.models import Person
from server.settings import Settings

Db = NamedDependency[AsyncSession]
"""The request's unit of work: committed before the response is sent, rolled back on error."""
Me = NamedDependency[Person]
"""The signed-in person; 401 when nobody is."""
Viewer = NamedDependency[Person | None]
"""The signed-in person, or None for an anonymous reader."""
AppSettings = NamedDependency[Settings]
