"""The log of use: who used the registry, from where, when, and what they ran or took out.

git records changes; this records use (Act 906/2019 § 17): each `kokeilu session` sends one line
per event to the server's syslog, a place coordinators cannot rewrite. Lines are
`key=value` pairs, the account first; anything that comes from the registry or the client is
escaped (backslashes and quotes, then control characters as `literal` shows them) and quoted,
so a name or a command can never forge a line or a field.

The messages are sent as syslog datagrams to a Unix socket (`/dev/log` by default; a test or an
unusual system names another), the way the C library's syslog() sends them.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable

from kokeilu.text.display import literal

DEFAULT_SOCKET = "/dev/log"
IDENT = "kokeilu"
# Facility authpriv (10): session records, readable only by the administrator on most systems.
FACILITY = 10
SEVERITY_INFO = 6
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@+,")


class AuditError(Exception):
    """The log of use cannot be written."""


def value(text: object) -> str:
    """One field's value: as is when plain, else escaped and quoted."""
    text = str(text)
    if text and all(ch in _PLAIN for ch in text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{literal(escaped)}"'


def line(fields: Iterable[tuple[str, object]]) -> str:
    """`key=value key=value …`, keys in the order given."""
    return " ".join(f"{key}={value(v)}" for key, v in fields)


class AuditLog:
    """Sends events to syslog through one Unix datagram socket."""

    def __init__(self, socket_path: str = DEFAULT_SOCKET, *, ident: str = IDENT):
        self.socket_path = socket_path
        self.ident = ident

    def send(self, message: str) -> None:
        """Send one line; raises AuditError when nothing listens on the socket."""
        stamp = time.strftime("%b %e %H:%M:%S", time.localtime())
        priority = FACILITY * 8 + SEVERITY_INFO
        data = f"<{priority}>{stamp} {self.ident}[{os.getpid()}]: {message}".encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.sendto(data, self.socket_path)
        except OSError as exc:
            raise AuditError(f"{self.socket_path}: {exc.strerror or exc}") from None

    def event(self, account: str, event: str, **fields: object) -> None:
        """Log `account=… event=… key=value…`; fields that are None are left out."""
        pairs: list[tuple[str, object]] = [("account", account), ("event", event)]
        pairs += [(k, v) for k, v in fields.items() if v is not None]
        self.send(line(pairs))
