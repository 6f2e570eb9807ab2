"""Bounded HTTP: every request the checker makes goes through here.

Each hop is validated before it is made: http(s) only, no credentials in the URL, and the host is
resolved once and refused when any address is private, loopback, link-local or otherwise
non-public (unless the program allows that host). The connection then goes to the address that
was checked, so a second DNS answer cannot redirect it. Redirects are followed by hand, a few at
most, each re-validated; cookies are never kept; bodies are capped.
"""

from __future__ import annotations

import email.utils
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
from checks.net.urls import FetchError, resolve, validate_url

USER_AGENT = f"gates/{__version__} (evidence and catalog checker)"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0
RETRY_STATUSES = {429, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: dict[str, str]
    truncated: bool = False


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
                # The host's slot first: a request waiting for its host holds none of the global slots.
                with self._host_slot(host), self._global:
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
