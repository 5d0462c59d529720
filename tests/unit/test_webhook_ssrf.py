"""The SSRF guard: which addresses a webhook may reach, and how URLs are checked."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brain.integrations import ssrf

BLOCKED_V4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "240.0.0.0/4",
]
BLOCKED_V6 = ["::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "::/128"]


def in_network(cidr: str) -> st.SearchStrategy[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    network = ipaddress.ip_network(cidr)
    return st.integers(0, network.num_addresses - 1).map(lambda i: network[i])


@given(st.sampled_from(BLOCKED_V4).flatmap(in_network))
def test_no_private_loopback_link_local_or_reserved_ipv4_address_is_public(
    address: ipaddress.IPv4Address,
) -> None:
    assert not ssrf.is_public(address)
    assert ssrf.refusal(address)


@given(st.sampled_from(BLOCKED_V6).flatmap(in_network))
def test_no_loopback_unique_local_link_local_or_multicast_ipv6_address_is_public(
    address: ipaddress.IPv6Address,
) -> None:
    assert not ssrf.is_public(address)


@given(st.sampled_from(BLOCKED_V4).flatmap(in_network))
def test_a_private_ipv4_address_wrapped_in_ipv6_is_refused_too(
    address: ipaddress.IPv4Address,
) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    nat64 = ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(address))
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (int(address) << 80))
    for wrapped in (mapped, nat64, sixtofour):
        assert not ssrf.is_public(wrapped), wrapped


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert ssrf.is_public(ipaddress.ip_address(address))


def check(url: str, **options: object) -> ssrf.Target:
    async def resolver(host: str, port: int) -> list[str]:
        return {
            "public.example": ["93.184.216.34"],
            "inside.example": ["93.184.216.34", "10.0.0.2"],
        }[host]

    values = {"allow_insecure": False, "allow_private": False, "resolver": resolver, **options}
    return asyncio.run(ssrf.check(url, **values))  # type: ignore[arg-type]


def test_a_name_is_refused_when_any_of_its_addresses_is_private() -> None:
    assert check("https://public.example/x").address == "93.184.216.34"
    with pytest.raises(ssrf.TargetRefused, match=r"resolves to a private address \(10.0.0.2\)"):
        check("https://inside.example/x")


def test_the_checked_address_is_what_is_connected_to_with_the_name_as_host() -> None:
    target = check("https://public.example:8443/a/b?c=d")
    assert target.connect_url() == "https://93.184.216.34:8443/a/b?c=d"
    assert target.host_header() == "public.example:8443"
    v6 = check("https://[2001:4860:4860::8888]/hook")
    assert v6.connect_url() == "https://[2001:4860:4860::8888]/hook"


def test_http_needs_the_insecure_setting_and_private_targets_their_own() -> None:
    with pytest.raises(ssrf.TargetRefused, match="must use https"):
        check("http://public.example/x")
    assert check("http://public.example/x", allow_insecure=True).address == "93.184.216.34"
    with pytest.raises(ssrf.TargetRefused, match="loopback"):
        check("https://127.0.0.1/x")
    allowed = check("https://localhost:9/x", allow_private=True)
    assert allowed.address is None and allowed.connect_url() == "https://localhost:9/x"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://public.example:99999/", "not a valid URL"),
        ("https://public.example:0/", "port 0"),
        ("https://public.example/#frag", "fragment"),
        ("mailto:a@b.c", "https://"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(ssrf.TargetRefused, match=reason):
        check(url)
