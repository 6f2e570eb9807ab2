"""URL safety without the network: form, credentials, non-public addresses and resolution (mutants of
checks/net/urls.py die here). Resolution uses a fake resolver: nothing leaves the machine."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from checks.net.urls import FetchError, Refused, literal_address, refuse_statically, resolve, validate_url


def _resolver(*addresses: str, calls: list[tuple[Any, ...]] | None = None) -> Any:
    def lookup(host: str, port: int, **kwargs: Any) -> list[tuple[Any, ...]]:
        if calls is not None:
            calls.append((host, port, kwargs))
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    return lookup


def _refused(url: str, allowed: tuple[str, ...] = ()) -> str:
    with pytest.raises(Refused) as info:
        refuse_statically(url, allowed)
    return str(info.value)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",  # loopback
        "::1",
        "169.254.169.254",  # link-local: cloud metadata
        "fe80::1",  # IPv6 link-local
        "224.0.0.1",  # multicast (not in the private ranges)
        "ff02::1",  # IPv6 multicast
        "4000::1",  # IPv6 reserved
        "100.64.0.1",  # carrier-grade NAT
        "100.127.255.254",
        "::ffff:6440:1",  # IPv4-mapped 100.64.0.1
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    assert _refused(f"http://{host}/x") == (
        f"points at the non-public address {address}; allow the host in policy.allow_hosts to check it"
    )


def test_public_literals_pass() -> None:
    for url in ("http://93.184.216.34/", "https://[2606:4700::1111]/", "http://100.128.0.1/"):
        refuse_statically(url, ())


def test_an_allowed_host_is_matched_without_case() -> None:
    refuse_statically("http://[fe80::1]/x", ("FE80::1",))
    refuse_statically("http://[fe80::1]/x", ("fe80::1",))
    assert _refused("http://[fe80::1]/x", ("fe80::2",)).startswith("points at the non-public address fe80::1;")


def test_form_refusals_are_named() -> None:
    with pytest.raises(Refused, match=r"^is not a valid URL \(.+\)$"):
        validate_url("http://[::1/x")
    with pytest.raises(Refused) as info:
        validate_url("ftp://example.invalid/x")
    assert str(info.value) == "uses the ftp: scheme; only http and https are checked"
    with pytest.raises(Refused) as info:
        validate_url("example.invalid/x")
    assert str(info.value) == "uses the missing: scheme; only http and https are checked"
    with pytest.raises(Refused) as info:
        validate_url("http:///x")
    assert str(info.value) == "has no host"


@pytest.mark.parametrize(
    "url", ["http://user@example.invalid/", "http://:pw@example.invalid/", "https://u:p@h.invalid/"]
)
def test_any_credential_is_refused(url: str) -> None:
    with pytest.raises(Refused) as info:
        validate_url(url)
    assert str(info.value) == "carries credentials; remove the user and password from the URL"


def test_default_and_explicit_ports() -> None:
    assert validate_url("https://Example.INVALID/x") == ("example.invalid", 443, "https")
    assert validate_url("http://example.invalid/x") == ("example.invalid", 80, "http")
    assert validate_url("http://example.invalid:8080/x") == ("example.invalid", 8080, "http")


def test_literal_addresses() -> None:
    assert literal_address("::1") == "::1"
    assert literal_address("[::1]") == "::1"
    assert literal_address("0x7f.1") == "127.0.0.1"
    assert literal_address("2130706433") == "127.0.0.1"
    assert literal_address("0X7F.1") is None  # hosts reach here lower-cased; anything else is a name
    assert literal_address("X::1") is None and literal_address("[::1]X") is None
    assert literal_address("1.2.3.4.5") is None
    assert literal_address("example.invalid") is None


def test_resolve_asks_once_for_the_host_and_port_over_tcp() -> None:
    calls: list[tuple[Any, ...]] = []
    assert resolve("example.invalid", 8443, (), _resolver("93.184.216.34", calls=calls)) == "93.184.216.34"
    assert calls == [("example.invalid", 8443, {"type": socket.SOCK_STREAM})]


def test_resolve_prefers_ipv4_then_the_lowest_address() -> None:
    v4 = [f"93.184.216.{n}" for n in range(40, 10, -1)]
    assert resolve("h.invalid", 80, (), _resolver("2606:4700::1", *v4)) == "93.184.216.11"
    assert resolve("h.invalid", 80, (), _resolver("2606:4700::2", "2606:4700::1")) == "2606:4700::1"


def test_resolution_failures_are_named() -> None:
    def broken(host: str, port: int, **kwargs: Any) -> list[tuple[Any, ...]]:
        raise OSError("no such name")

    with pytest.raises(FetchError) as info:
        resolve("h.invalid", 80, (), broken)
    assert str(info.value) == "host 'h.invalid' does not resolve (no such name)"
    with pytest.raises(FetchError) as info:
        resolve("h.invalid", 80, (), _resolver())
    assert str(info.value) == "host 'h.invalid' does not resolve"


def test_zone_suffixes_do_not_hide_a_link_local_answer() -> None:
    for address in ("fe80::1%eth0", "fe80::1%", "fe80::1%%", "fe80::1%a%b"):
        with pytest.raises(Refused) as info:
            resolve("h.invalid", 80, (), _resolver(address))
        assert str(info.value) == (
            f"resolves to the non-public address {address}; allow the host in policy.allow_hosts to check it"
        )


def test_an_allowed_host_may_resolve_to_a_private_address() -> None:
    assert resolve("intranet.invalid", 80, ("Intranet.INVALID",), _resolver("10.0.0.7")) == "10.0.0.7"
