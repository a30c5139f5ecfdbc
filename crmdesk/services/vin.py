"""Vehicle identification numbers (车架号 / VIN): the shape a VIN must have, and its check digit.

The work is vininfo's (a maintained VIN library): `Vin.validate` for the shape (17 characters, letters
and digits but I, O and Q, which read as 1 and 0) and `Vin.verify_checksum` for the ISO 3779 /
North-American check digit in position 9 (weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, sum mod 11,
10 written X). A VIN of the wrong shape is refused; a failed check digit only warns: the check digit
is mandatory in North America, while a VIN made elsewhere (China's GB 16735 included, for older or
imported cars) may carry another character there, so the person at the desk decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from vininfo import Vin
from vininfo.exceptions import ValidationError as VininfoValidationError

from crmdesk.i18n import _

VIN_LENGTH = 17
_REFUSED_LETTERS = frozenset("IOQ")


@dataclass(frozen=True)
class VinCheck:
    """A VIN as it is stored (upper case, no spaces) and the warning to show, if any."""

    vin: str
    warning: str | None = None


def check_vin(raw: str) -> VinCheck:
    """The VIN cleaned and checked: ValueError (a translated message) for a VIN of the wrong shape, a
    warning when the check digit does not match."""
    text = "".join(str(raw).split()).upper()
    if len(text) != VIN_LENGTH:
        raise ValueError(_("A VIN has 17 characters; this one has {count}.", count=len(text)))
    refused = sorted(set(text) & _REFUSED_LETTERS)
    if refused:
        raise ValueError(_("A VIN never contains the letters I, O or Q (found {letters}).",
                           letters=", ".join(refused)))
    try:
        vin = Vin(text)
    except VininfoValidationError as error:
        raise ValueError(_("A VIN has only the letters A–Z (but I, O, Q) and the digits 0–9.")) from error
    if vin.verify_checksum(check_year=False):
        return VinCheck(vin.num)
    return VinCheck(vin.num, _("The check digit of VIN {vin} (its 9th character) does not match; VINs of "
                               "cars made for China need not carry one. Compare it with the car.", vin=vin.num))
