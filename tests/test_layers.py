"""The packages' direction of dependence (docs/architecture.md, "Packages and their direction of dependence").

Each part of `network` and `web` imports only from parts below it, so a newcomer can read them bottom-up
and a change low down cannot come to depend on what sits above it. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lower rank first; a module may import its own part or any part of a lower rank, never a peer.
NETWORK = {
    "network": 0,  # the shared kernel: tables, enums, roles, access, inputs, views, the event kinds
    "network.moderation": 1,
    "network.governance": 2,
    "network.content": 2,
    "network.search": 3,
    "network.engagements": 3,  # beside search, which never reads an engagement's space
    "network.adoption": 3,  # adoption records: content about a practice, beside search
    "network.people": 4,
    "network.casework": 5,
    "network.insight": 5,  # reads what every part below it holds; nothing imports it
}
WEB = {
    "web": 0,  # what every page shares: rendering, forms, refusals beside forms
    "web.content": 1,
    "web.governance": 1,
    "web.people": 1,
    "web.casework": 2,
    "web.engagements": 2,  # the request page's accepted offer opens one; nothing below imports them
    "web.routes": 3,  # the one list of pages
}
PROJECT = {"events": 0, "network": 1}  # `web` and `server` sit above; docs/architecture.md says how


def part_of(module: str, parts: dict[str, int]) -> str | None:
    """The longest part name that `module` is, or lies in."""
    best = None
    for part in parts:
        if (module == part or module.startswith(part + ".")) and (best is None or len(part) > len(best)):
            best = part
    return best


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def module_name(path: Path, root: Path = ROOT) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def upward_imports(top: str, parts: dict[str, int], root: Path = ROOT) -> list[str]:
    wrong = []
    for path in sorted((root / top).rglob("*.py")):
        source = part_of(module_name(path, root), parts)
        assert source is not None
        for line, target in imports_of(path):
            into = part_of(target, parts)
            if into is None or into == source:
                continue
            if parts[into] >= parts[source]:
                wrong.append(f"{path.relative_to(root)}:{line} imports {target} ({source} -> {into})")
    return wrong


@pytest.mark.parametrize(("top", "parts"), [("network", NETWORK), ("web", WEB)])
def test_each_part_imports_only_from_parts_below_it(top: str, parts: dict[str, int]) -> None:
    assert upward_imports(top, parts) == []


def test_every_sub_package_has_a_place_in_the_order() -> None:
    for top, parts in (("network", NETWORK), ("web", WEB)):
        packages = {module_name(init.parent / "x.py").removesuffix(".x") for init in (ROOT / top).glob("*/__init__.py")}
        assert packages <= set(parts), f"{top}: give {sorted(packages - set(parts))} a rank above"


def test_the_domain_never_imports_the_pages_or_the_server() -> None:
    for top in ("events", "network"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for line, target in imports_of(path):
                head = target.split(".")[0]
                assert head not in {"web", "server"}, f"{path.relative_to(ROOT)}:{line} imports {target}"
                if top == "events":
                    assert head != "network", f"{path.relative_to(ROOT)}:{line} imports {target}"


def test_the_check_sees_upward_and_peer_imports(tmp_path: Path) -> None:
    """The walk is not vacuous: an import from above, and one from a peer, are both reported."""
    files = {
        "pkg/__init__.py": "",
        "pkg/kernel.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/a.py": "from pkg import kernel\n\ndef f():\n    from pkg.high import b\n",
        "pkg/peer/__init__.py": "",
        "pkg/peer/c.py": "import pkg.low.a\n",
        "pkg/high/__init__.py": "",
        "pkg/high/b.py": "from pkg.low import a\nfrom pkg.peer.c import x\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    parts = {"pkg": 0, "pkg.low": 1, "pkg.peer": 1, "pkg.high": 2}
    assert upward_imports("pkg", parts, tmp_path) == [
        "pkg/low/a.py:4 imports pkg.high.b (pkg.low -> pkg.high)",
        "pkg/peer/c.py:1 imports pkg.low.a (pkg.peer -> pkg.low)",
    ]
