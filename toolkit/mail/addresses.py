"""Recipients: a display name and an address, checked before they go near a mail header.

A name or address that carries a line break or another control character could add headers of
its own to a message (header injection), so it is rejected, never cleaned up quietly. Addresses
are limited to plain ASCII ``local@domain.tld``: that is what every relay accepts without the
SMTPUTF8 extension, and it keeps look-alike letters out of the envelope.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit import catalogue
from toolkit.mail import codes as _codes  # noqa: F401  (registers the mail codes)
from toolkit.model import Issue, normalize_text

_LOCAL = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_ADDRESS = re.compile(rf"{_LOCAL}@{_DOMAIN}")
#: RFC 5321 limits a path to 256 octets including the angle brackets
MAX_ADDRESS_LENGTH = 254
#: control characters, invisible format characters (bidi overrides...) and line/paragraph
#: separators: any of them in a header is either an injection attempt or a spoof
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


@dataclass(frozen=True)
class Recipient:
    """Someone a message goes to (or comes from): display name and a checked address."""

    name: str
    email: str

    @property
    def key(self) -> str:
        """The address as compared by the sent log (the domain is case-insensitive; in
        practice so is the local part at every relay our users meet)."""
        return self.email.casefold()


def has_forbidden_characters(text: str) -> bool:
    """True when ``text`` holds a line break, a control or an invisible format character."""
    return any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text)


def is_valid_address(address: str) -> bool:
    """True for a plain ASCII ``local@domain.tld`` of at most 254 characters."""
    return len(address) <= MAX_ADDRESS_LENGTH and _ADDRESS.fullmatch(address) is not None


def check_recipient(name: object, email: object, *, whom: str) -> Recipient | Issue:
    """The ``Recipient`` for a raw name and address, or the ``Issue`` that stops the message.

    ``whom`` says who this is in messages (a cell code and name, or "lãnh đạo" entries of the
    config). Surrounding spaces are trimmed; line breaks anywhere, even trailing, are not.
    """
    raw_name = "" if name is None else str(name)
    raw_email = "" if email is None else str(email)
    for raw in (raw_name, raw_email):
        if has_forbidden_characters(raw):
            return catalogue.make("mail-header-injection", value=repr(raw), whom=whom)
    address = raw_email.strip(" ")
    if not is_valid_address(address):
        return catalogue.make("mail-bad-address", value=address, whom=whom)
    return Recipient(name=normalize_text(raw_name), email=address)
