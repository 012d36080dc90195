"""SEPA payment QR codes (EPC069-12, version 002) and the same as plain text."""

from __future__ import annotations

import io
from decimal import Decimal

import segno
from segno import helpers


def euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def epc_qr(*, name: str, iban: str, cents: int, text: str) -> segno.QRCode:
    """An EPC QR code: ``BCD/002``, UTF-8, SCT, name, IBAN, ``EUR<amount>``, remittance text."""
    return helpers.make_epc_qr(
        name=name[:70], iban=iban, amount=euros(cents), text=text[:140], encoding="utf-8"
    )


def epc_svg(*, name: str, iban: str, cents: int, text: str, title: str = "") -> str:
    qr = epc_qr(name=name, iban=iban, cents=cents, text=text)
    buf = io.BytesIO()
    qr.save(
        buf,
        kind="svg",
        scale=4,
        border=4,
        xmldecl=False,
        svgns=True,
        title=title or None,
        svgclass="epc-qr",
        lineclass=None,
    )
    return buf.getvalue().decode()


def transfer_text(*, name: str, iban: str, cents: int, text: str) -> str:
    """The same payment as lines a person can type into a banking app."""
    amount = f"{euros(cents):.2f}".replace(".", ",")
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return f"{name}\n{grouped}\nEUR {amount}\n{text}"
