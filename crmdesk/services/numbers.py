"""Document numbers unique without a server: <prefix>-<device code>-<date>-<sequence>."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy.orm import Session

from crmdesk.models import DeviceInfo

# Crockford's base32 letters: no I, L, O, U, so a code read aloud or retyped stays unambiguous.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def device_code(session: Session) -> str:
    """This installation's short code, made once; part of every number it issues."""
    row = session.get(DeviceInfo, "device_code")
    if row is None:
        row = DeviceInfo(key="device_code", value="".join(secrets.choice(_ALPHABET) for _ in range(4)))
        session.add(row)
        session.flush()
    return row.value


def next_number(session: Session, prefix: str, day: date | None = None) -> str:
    """E.g. SO-7KQ2-20261123-0001. The counter lives in this device's own table, in the caller's
    transaction, so a rolled-back save does not burn a number."""
    day = day or date.today()
    key = f"seq:{prefix}:{day:%Y%m%d}"
    row = session.get(DeviceInfo, key)
    if row is None:
        row = DeviceInfo(key=key, value="0")
        session.add(row)
    row.value = str(int(row.value) + 1)
    session.flush()
    return f"{prefix}-{device_code(session)}-{day:%Y%m%d}-{int(row.value):04d}"
