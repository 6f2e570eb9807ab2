"""Bounded HTTP: every request the checker makes goes through here.

Each hop is validated before it is made: http(s) only, no credentials in the URL, and the host is
resolved once and refused when any address is private, loopback, link-local or otherwise
non-public (unless the program allows that host). The connection then goes to the address that
was checked, so a second DNS answer cannot redirect it. Redirects are followed by hand, a few at
most, each re-validated; cookies are never kept; bodies are capped.
"""

from __future__ import annotations

import email.utils
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from checks import __version__
from checks.model import NetworkPolicy

USER_AGENT = f"gates/{__version__} (evidence and catalog checker)"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0
RETRY_STATUSES = {429, 502, 503, 504}


class Refused(Exception):
    """The URL must not be requested (EVID006)."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    truncated: bool = False


class FetchError(Exception):
    """The request failed after retries (unreachable, timed out, too large)."""


def _non_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"))
    )


def validate_url(url: str) -> tuple[str, int, str]:
    """Check the URL's form; return (host, port, scheme) or raise Refused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise Refused(f"uses the {parts.scheme or 'missing'}: scheme; only http and https are checked")
    if parts.username is not None or parts.password is not None:
        raise Refused("carries credentials; remove the user and password from the URL")
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("has no host")
    return host, port or (443 if parts.scheme == "https" else 80), parts.scheme


def literal_address(host: str) -> str | None:
    """The address an IP literal stands for, including decimal and hex IPv4 forms, without DNS."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if re.fullmatch(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}", host):
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    return None


def refuse_statically(url: str, allowed: tuple[str, ...]) -> None:
    """Refuse what can be refused without the network: bad form, or a non-public IP literal."""
    host, _port, _scheme = validate_url(url)
    address = literal_address(host)
    if address is not None and host not in {h.lower() for h in allowed} and _non_public(address):
        raise Refused(f"points at the non-public address {address}; allow the host in policy.allow_hosts to check it")


def resolve(host: str, port: int, allowed: tuple[str, ...], resolver: Callable[..., list[tuple]] | None = None) -> str:  # type: ignore[type-arg]
    """Resolve `host` once and return the address to connect to, refusing non-public targets."""
    lookup = resolver or socket.getaddrinfo
    try:
        infos = lookup(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"host {host!r} does not resolve ({exc})") from exc
    addresses = sorted({info[4][0] for info in infos}, key=lambda a: (":" in a, a))
    if not addresses:
        raise FetchError(f"host {host!r} does not resolve")
    allowed_set = {h.lower() for h in allowed}
    if host not in allowed_set:
        bad = [a for a in addresses if _non_public(a)]
        if bad:
            raise Refused(
                f"resolves to the non-public address {bad[0]}; allow the host in policy.allow_hosts to check it"
            )
    return str(addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connects to a fixed address while speaking TLS and HTTP to the original host name."""

    def __init__(self, hostname: str) -> None:
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["server_hostname"] = self._hostname
        kwargs["assert_hostname"] = self._hostname
        super().init_poolmanager(*args, **kwargs)


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials from the environment
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.headers["User-Agent"] = USER_AGENT
    return session


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """One bounded client: global and per-host concurrency, timeouts, retries, size cap."""

    def __init__(
        self, policy: NetworkPolicy, allowed_hosts: tuple[str, ...], sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.policy = policy
        self.allowed = allowed_hosts
        self.sleep = sleep
        self._global = threading.BoundedSemaphore(policy.concurrency)
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(self.policy.per_host)
            return self._hosts[host]

    def _sessions(self) -> dict[tuple[str, str, int], requests.Session]:
        if not hasattr(self._local, "sessions"):
            self._local.sessions = {}
        sessions: dict[tuple[str, str, int], requests.Session] = self._local.sessions
        return sessions

    def _send(self, method: str, url: str, host: str, port: int, scheme: str, address: str) -> Response:
        parts = urlsplit(url)
        literal = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        key = (scheme, address, port)
        sessions = self._sessions()
        if key not in sessions:
            session = _session()
            if scheme == "https":
                session.mount(f"https://{literal}:{port}", _PinnedAdapter(host))
            sessions[key] = session
        session = sessions[key]
        default_port = 443 if scheme == "https" else 80
        headers = {"Host": host if port == default_port else f"{host}:{port}", "Accept": "*/*"}
        with session.request(
            method,
            pinned,
            headers=headers,
            allow_redirects=False,
            stream=True,
            timeout=(self.policy.connect_timeout, self.policy.read_timeout),
        ) as resp:
            body = b""
            truncated = False
            if method != "HEAD":
                chunks = []
                size = 0
                for chunk in resp.iter_content(65536):
                    size += len(chunk)
                    if size > self.policy.max_bytes:
                        truncated = True
                        break
                    chunks.append(chunk)
                body = b"".join(chunks)
            return Response(url, resp.status_code, body, {k.lower(): v for k, v in resp.headers.items()}, truncated)

    def request(self, method: str, url: str) -> Response:
        """One request with redirects followed by hand; raises Refused or FetchError."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            host, port, scheme = validate_url(current)
            address = resolve(host, port, self.allowed)
            response = self._with_retries(method, current, host, port, scheme, address)
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                if response.status == 303:
                    method = "GET"
                continue
            return response
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _with_retries(self, method: str, url: str, host: str, port: int, scheme: str, address: str) -> Response:
        attempts = self.policy.retries + 1
        last_error = ""
        for attempt in range(attempts):
            try:
                with self._global, self._host_slot(host):
                    response = self._send(method, url, host, port, scheme, address)
            except requests.RequestException as exc:
                last_error = _describe_error(exc)
                if attempt + 1 < attempts:
                    self.sleep(min(MAX_RETRY_AFTER, 0.25 * 2**attempt))
                continue
            if response.status in RETRY_STATUSES and attempt + 1 < attempts:
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > MAX_RETRY_AFTER:
                    return response
                self.sleep(wait if wait is not None else min(MAX_RETRY_AFTER, 0.25 * 2**attempt))
                continue
            return response
        raise FetchError(f"failed after {attempts} attempt{'s' if attempts != 1 else ''}: {last_error}")


def _describe_error(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__
