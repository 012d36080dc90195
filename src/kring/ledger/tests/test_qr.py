"""The EPC QR code decodes back to exactly the fields given."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from kring.ledger import qr


def decode(code) -> str:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=6, border=4)
    buf.seek(0)
    results = zxingcpp.read_barcodes(Image.open(buf).convert("L"))
    assert len(results) == 1
    return results[0].text


@pytest.mark.parametrize(
    ("name", "cents", "text"),
    [
        ("Hanna Host", 1250, "Kring anno-nu #7"),
        ("Zoë Çelik-Müller", 100000, "Koffie & zaalhuur — €12,50 café"),
        ("A", 1, "x"),
    ],
)
def test_epc_qr_round_trip(name: str, cents: int, text: str) -> None:
    payload = decode(qr.epc_qr(name=name, iban="NL91ABNA0417164300", cents=cents, text=text))
    lines = payload.split("\n")
    assert lines[0] == "BCD" and lines[1] == "002"
    assert lines[2] == "1"  # UTF-8
    assert lines[3] == "SCT"
    assert lines[5] == name
    assert lines[6] == "NL91ABNA0417164300"
    assert lines[7].startswith("EUR")  # the spec allows dropping trailing zeros: EUR12.5
    assert Decimal(lines[7][3:]) * 100 == cents
    assert text in lines  # unstructured remittance text, accents and € intact


def test_svg_and_text() -> None:
    svg = qr.epc_svg(name="Hanna", iban="NL91ABNA0417164300", cents=4599, text="Ref 1")
    assert svg.startswith("<svg") and "<script" not in svg
    assert qr.transfer_text(name="Hanna", iban="NL91ABNA0417164300", cents=4599, text="Ref 1") == (
        "Hanna\nNL91 ABNA 0417 1643 00\nEUR 45,99\nRef 1"
    )
