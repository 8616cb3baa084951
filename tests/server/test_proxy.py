"""The many-servers topology's proxy: nginx with the shipped `server/deploy/nginx.conf` in front
of a real `commons serve` process, on loopback addresses instead of compose's network.

nginx sets `X-Forwarded-For` to the address it sees, and the app trusts only nginx's address
(`TRUSTED_PROXIES`), so a client cannot name its own address past the per-address sign-in limit.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from server.settings import Settings
from tests.conftest import free_port
from tests.live.client import WsClient
from tests.live.processes import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_ADDRESS = "127.0.0.2"  # nginx connects to the app from here; the app trusts only this
PER_MINUTE = Settings.login_attempts_per_minute  # the default, which `commons serve` runs with


def nginx_config(directory: Path, listen_port: int, app_port: int) -> Path:
    """The shipped site config with compose's names swapped for loopback ports, in a main config
    that keeps every file nginx writes inside `directory`."""
    site = (ROOT / "server" / "deploy" / "nginx.conf").read_text()
    site, upstreams = re.subn(
        r"upstream commons \{[^}]*\}", f"upstream commons {{ server 127.0.0.1:{app_port}; }}", site
    )
    site, listens = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", site)
    assert (upstreams, listens) == (1, 1), "server/deploy/nginx.conf changed shape"
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    main.write_text(
        f"""
daemon off;
master_process off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    proxy_bind {PROXY_ADDRESS};
    include {directory}/site.conf;
}}
"""
    )
    return main


@dataclass
class Topology:
    proxy_url: str
    app_url: str


@pytest.fixture
def topology(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[Topology]:
    """nginx in front of `commons serve`, which trusts the proxies the test names (its parameter)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    app = ServerProcess(database_url, tmp_path, {"TRUSTED_PROXIES": request.param}).start()
    port = free_port()
    config = nginx_config(tmp_path, port, app.port)
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(config)])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if nginx.poll() is not None or time.monotonic() > deadline:
                    log = tmp_path / "error.log"
                    pytest.fail(f"nginx did not start: {log.read_text() if log.exists() else nginx.returncode}")
                time.sleep(0.05)
        yield Topology(proxy_url=f"http://127.0.0.1:{port}", app_url=app.url)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.stop()


def client(base_url: str, address: str) -> httpx.AsyncClient:
    """A client connecting from its own loopback address."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=base_url + "/api/v1", timeout=20, transport=transport)


async def sign_in(http: httpx.AsyncClient, forged: str | None, n: int) -> httpx.Response:
    """A failed sign-in (to an account that does not exist), naming `forged` as the client's address."""
    if "csrftoken" not in http.cookies:
        await http.get("/networks")
    headers = {"x-csrftoken": http.cookies["csrftoken"]}
    if forged:
        headers["x-forwarded-for"] = forged
    body = {"email": f"nobody{n}@example.org", "password": "not the password"}
    return await http.post("/auth/login", json=body, headers=headers)


async def spend_allowance(http: httpx.AsyncClient, forged: str) -> httpx.Response:
    """As many sign-ins as one address may make in a minute, each naming another address; then one more."""
    for n in range(PER_MINUTE):
        assert (await sign_in(http, forged.format(n=n), n)).status_code == 401
    return await sign_in(http, forged.format(n=PER_MINUTE), PER_MINUTE)


@pytest.mark.parametrize("topology", ["127.0.0.0/8"], indirect=True)
async def test_the_proxy_names_the_client_whatever_the_client_says(topology: Topology) -> None:
    """Even an app that trusted every peer (as compose's apps once did, with "*") is not fooled:
    nginx overwrites the forged header with the address it sees."""
    async with client(topology.proxy_url, "127.0.0.3") as forger, client(topology.proxy_url, "127.0.0.4") as other:
        refused = await spend_allowance(forger, "203.0.113.{n}")
        assert refused.status_code == 429, refused.text
        assert "from your address" in refused.json()["detail"]
        assert 0 < int(refused.headers["retry-after"]) <= 60
        # another real client behind the same proxy keeps its own allowance
        assert (await sign_in(other, "203.0.113.250", 0)).status_code == 401


@pytest.mark.parametrize("topology", [PROXY_ADDRESS], indirect=True)
async def test_the_app_believes_only_its_proxy(topology: Topology) -> None:
    """Straight to the app, a client that is not the proxy cannot name another address; behind the
    proxy, clients are told apart (were the proxy not believed, all would share its address)."""
    async with client(topology.app_url, "127.0.0.5") as direct:
        refused = await spend_allowance(direct, "192.0.2.{n}, " + PROXY_ADDRESS)
        assert refused.status_code == 429, refused.text
    async with client(topology.proxy_url, "127.0.0.3") as first, client(topology.proxy_url, "127.0.0.4") as second:
        assert (await spend_allowance(first, "198.51.100.{n}")).status_code == 429
        assert (await sign_in(second, None, 0)).status_code == 401


@pytest.mark.parametrize("topology", [PROXY_ADDRESS], indirect=True)
async def test_the_websocket_origin_check_passes_through_the_proxy(topology: Topology) -> None:
    """The proxy passes the browser's Host with its port, so this site's own Origin matches it."""
    site = topology.proxy_url
    anonymous = await WsClient.connect(site, origin=site)
    assert (await anonymous.next("error"))["code"] == "unauthenticated"
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(site.replace("http://", "ws://") + "/ws", origin=site.replace("http://", "https://"))
    assert refused.value.response.status_code == 403


def test_trusted_proxies_are_addresses_or_networks_and_never_everyone(tmp_path: Path) -> None:
    env = {"COMMONS_VAR_DIR": str(tmp_path)}
    assert Settings.from_env(env).trusted_proxies == ("127.0.0.1", "::1")
    chosen = Settings.from_env(env | {"TRUSTED_PROXIES": "172.28.0.10, 10.0.0.0/8,fd00::/8"})
    assert chosen.trusted_proxies == ("172.28.0.10", "10.0.0.0/8", "fd00::/8")
    for wrong in ("*", "proxy.internal", "10.0.0.1/8"):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES takes the proxies' IP addresses or networks"):
            Settings.from_env(env | {"TRUSTED_PROXIES": wrong})


def test_compose_trusts_only_its_proxy() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    for name in ("app1", "app2"):
        app = services[name]
        assert "--forwarded-allow-ips" not in app["command"]
        assert app["environment"]["TRUSTED_PROXIES"] == proxy_address
    shipped = (ROOT / "server" / "deploy" / "nginx.conf").read_text()
    assert "$proxy_add_x_forwarded_for" not in shipped
    assert "Strict-Transport-Security" in shipped
