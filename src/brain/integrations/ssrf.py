"""Where webhooks may go: refusing URLs that reach into the platform's own network (SSRF).

A tenant chooses the URL, the platform's workers call it: without a guard a tenant could make them
request `http://169.254.169.254/` (a cloud's metadata service), `http://127.0.0.1:6379/` or any
host of the private network. The guard refuses a URL whose host is, or resolves to, an address
that is not globally routable — loopback, private (RFC 1918, unique local), link-local (the
metadata services), CGNAT, multicast, reserved, unspecified — including such IPv4 addresses
wrapped in IPv6 (IPv4-mapped, NAT64, 6to4, Teredo). It checks at registration and again at every
delivery, because DNS can change after registration; the delivery then connects to the address it
checked, not to a second lookup (ADR 0014). `BRAIN_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true` turns the
address check off (a receiver on the same machine, in development); `BRAIN_WEBHOOKS_ALLOW_INSECURE`
admits `http://`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""host, port → the addresses it resolves to (strings)."""

RESOLVE_TIMEOUT_SECONDS = 5.0
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")


class TargetRefused(ValueError):
    """The URL may not be called; the message says why (for the API's field error)."""


async def system_resolver(host: str, port: int) -> Sequence[str]:
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def is_public(address: IPAddress) -> bool:
    """Whether a webhook may be sent to `address`: globally routable, not multicast, and (for an
    IPv6 address carrying an IPv4 one) the IPv4 address too."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public(embedded):
            return False
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return False
    return address.is_global and not address.is_multicast


def refusal(address: IPAddress) -> str | None:
    """Why `address` is refused, or None."""
    if is_public(address):
        return None
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public(embedded):
            return f"an IPv6 address ({address}) carrying {refusal(embedded)}"
    if address.is_loopback:
        kind = "a loopback"
    elif address.is_link_local:
        kind = "a link-local (metadata)"
    elif address.is_multicast:
        kind = "a multicast"
    elif address.is_unspecified:
        kind = "an unspecified"
    elif address.is_private:
        kind = "a private"
    else:
        kind = "a non-public"
    return f"{kind} address ({address})"


@dataclass(frozen=True)
class Target:
    """A URL that passed the check, with the address to connect to (None: connect by name)."""

    url: str
    host: str
    port: int
    address: str | None

    def connect_url(self) -> str:
        """The URL with its host replaced by the checked address (the `Host` header and TLS
        server name keep the original host)."""
        if self.address is None:
            return self.url
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if ":" in self.address else self.address
        netloc = literal if parts.port is None else f"{literal}:{parts.port}"
        return parts._replace(netloc=netloc).geturl()

    def host_header(self) -> str:
        parts = urlsplit(self.url)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if parts.port is None else f"{host}:{parts.port}"


def parse(url: str, *, allow_insecure: bool) -> SplitResult:
    """The URL's parts, or `TargetRefused` when it is not an absolute http(s) URL we may use."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("https", "http"):
        raise TargetRefused("must be an absolute https:// URL")
    if parts.scheme == "http" and not allow_insecure:
        raise TargetRefused("must use https (http only when BRAIN_WEBHOOKS_ALLOW_INSECURE=true)")
    if not parts.hostname:
        raise TargetRefused("has no host")
    try:
        # The codec the resolver (getaddrinfo) and the HTTP client encode the host with: an empty
        # label (`a..b`), one over 63 characters or a name IDNA refuses fails here, as a refusal.
        parts.hostname.encode("idna")
    except UnicodeError as exc:
        raise TargetRefused(f"{parts.hostname!r} is not a valid host name ({exc})") from None
    if port == 0:
        raise TargetRefused("port 0 cannot be called")
    if parts.fragment:
        raise TargetRefused("must not carry a #fragment")
    return parts


async def check(
    url: str,
    *,
    allow_insecure: bool,
    allow_private: bool,
    resolver: Resolver = system_resolver,
) -> Target:
    """The target to connect to, or `TargetRefused` saying why the URL may not be called."""
    parts = parse(url, allow_insecure=allow_insecure)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        reason = None if allow_private else refusal(literal)
        if reason:
            raise TargetRefused(f"{host} is {reason}")
        return Target(url, host, port, str(literal))
    if allow_private:
        return Target(url, host, port, None)
    try:
        found = await resolver(host, port)
    except (OSError, TimeoutError) as exc:
        raise TargetRefused(f"{host} does not resolve ({type(exc).__name__})") from None
    if not found:
        raise TargetRefused(f"{host} does not resolve")
    addresses = [ipaddress.ip_address(item.split("%")[0]) for item in found]
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise TargetRefused(f"{host} resolves to {reason}")
    return Target(url, host, port, str(addresses[0]))
