"""URL checks that need no network: form, credentials, and non-public addresses.

Kept apart from the HTTP client so that offline runs never import it.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import urlsplit


class Refused(Exception):
    """The URL must not be requested (EVID006)."""


class FetchError(Exception):
    """The request failed after retries (unreachable, timed out, too large)."""


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _non_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that address: judge the IPv4 one.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            if ip.teredo or ip in _NAT64:
                return True  # a tunnel or translator: never an evidence host, whatever it embeds
            ip = embedded
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
