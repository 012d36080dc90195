"""Imports from real-looking LinkedIn and Meetup exports, and the contacts pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kring.contacts import csvfiles, services
from kring.contacts.models import Contact, ContactImport, ContactStatus
from kring.core.errors import DomainError
from kring.networks.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


LINKEDIN = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address using this setting."\r\n'
    "\r\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Anouk,de Vries,https://www.linkedin.com/in/anoukdevries,anouk@example.nl,Studio Noord,"
    "Ontwerper,12 Mar 2024\r\n"
    "Bram,van den Berg,https://www.linkedin.com/in/bramvdberg,,Berg & Zn,Eigenaar,"
    "03 Jan 2023\r\n"
    'Chantal,"Jansen-Öztürk",https://www.linkedin.com/in/cjo,Chantal@Example.NL,"Jansen, '
    'Advies",Coach,28 Feb 2025\r\n'
    "Anouk,de Vries,https://www.linkedin.com/in/anoukdevries2,ANOUK@example.nl,,,"
    "12 Mar 2024\r\n"
    "Mila,Member,https://www.linkedin.com/in/mila,member@test.example,,,01 Feb 2022\r\n"
    ",,https://www.linkedin.com/in/unknown,,,,01 Feb 2022\r\n"
)

# Meetup's member export as Dutch Excel saves it: semicolons, Windows-1252, no e-mail column.
MEETUP = (
    "Name;Member ID;Title;Member Profile;Location;Joined Group on;Last visited group on;"
    "Last Attended;RSVPed to Events;Intro\r\n"
    "José Muñoz;301234567;Organizer;https://www.meetup.com/members/301234567;Utrecht;"
    "14-09-2023;01-12-2026;28-11-2026;12;Koffie & ideeën\r\n"
    "Françoise Dubois;301234568;;https://www.meetup.com/members/301234568;Zeist;"
    "02-02-2024;20-11-2026;;3;\r\n"
    "Bram van den Berg;301234569;;https://www.meetup.com/members/301234569;Utrecht;"
    "02-02-2024;20-11-2026;;1;\r\n"
).encode("cp1252")


def _upload(host: Any, network: Any, name: str, data: bytes) -> ContactImport:
    return services.upload_export(
        actor=host, network=network, filename=name, size=len(data), content=data
    )


def test_linkedin_export_merges_by_email_and_keeps_people_without(
    network: Any, host: Any, member: Any
) -> None:
    imp = _upload(host, network, "Connections.csv", LINKEDIN.encode("utf-8"))
    assert imp.source == "linkedin"
    table = services.table_of(imp)
    mapping = csvfiles.guess_mapping(table.header)
    assert mapping == ["first_name", "last_name", "", "email", "company", "position", ""]
    result = services.run_import(actor=host, imp=imp, mapping=mapping)
    assert (result.added, result.merged, result.skipped) == (3, 2, 1)
    reasons = {n["line"]: n["reason"] for n in result.notes}
    assert "merged" in reasons[4] and reasons[5] == "already a member"
    assert "no name" in reasons[6]
    chantal = Contact.objects.get(email="chantal@example.nl")
    assert chantal.name == "Chantal Jansen-Öztürk" and chantal.company == "Jansen, Advies"
    bram = Contact.objects.get(name="Bram van den Berg")
    assert bram.email == "" and bram.status == ContactStatus.TO_INVITE
    with pytest.raises(DomainError, match="imported already"):
        services.run_import(actor=host, imp=imp, mapping=mapping)


def test_meetup_windows_1252_semicolons(network: Any, host: Any) -> None:
    Contact.objects.create(network=network, name="Bram van den Berg", source="linkedin")
    imp = _upload(host, network, "Open_Coffee_Members.csv", MEETUP)
    assert (imp.source, imp.encoding) == ("meetup", "windows-1252")
    table = services.table_of(imp)
    mapping = csvfiles.guess_mapping(table.header)
    assert mapping[0] == "name"
    result = services.run_import(actor=host, imp=imp, mapping=mapping)
    assert (result.added, result.merged, result.without_email) == (2, 1, 2)
    assert Contact.objects.filter(name="José Muñoz", email="").exists()
    assert Contact.objects.filter(name="Françoise Dubois").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("members.xlsx", b"PK\x03\x04....", "Upload a CSV file"),
        ("members.csv", b"PK\x03\x04rest-of-zip", "Excel workbook"),
        ("members.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("members.csv", b"", "empty"),
        ("members.csv", b"just one line without columns\n", "no columns"),
        ("members.csv", b"Name,Email\n", "no people"),
    ],
)
def test_bad_files_refused_clearly(
    network: Any, host: Any, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        _upload(host, network, name, data)
    assert not ContactImport.objects.exists()


def test_too_big_file_refused(client: Any, network: Any, host: Any) -> None:
    client.force_login(host)
    big = SimpleUploadedFile("big.csv", b"Name,Email\n" + b"a,b@example.org\n" * 700_000)
    r = client.post("/n/testnet/contacts/import/", {"file": big})
    assert r.status_code == 400 and "too big" in r.content.decode()
    assert not ContactImport.objects.exists()


def test_pages_preview_import_invite(
    client: Any,
    network: Any,
    host: Any,
    member: Any,
    other_member: Any,
    settings: Any,
    monkeypatch: Any,
) -> None:
    from django.db import transaction

    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
    client.force_login(member)
    assert client.get("/n/testnet/contacts/").status_code == 403
    client.force_login(other_member)
    assert client.get("/n/testnet/contacts/").status_code == 404
    client.force_login(host)
    r = client.post(
        "/n/testnet/contacts/import/",
        {"file": SimpleUploadedFile("Connections.csv", LINKEDIN.encode())},
    )
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "Anouk de Vries" in page and "no e-mail address: kept to invite" in page
    # Map the Position column twice: refused with a message, nothing imported.
    post = {
        f"col_{i}": v
        for i, v in enumerate(["first_name", "last_name", "", "email", "position", "position", ""])
    }
    assert "one column only" in client.post(r["Location"], post).content.decode()
    assert not Contact.objects.exists()
    post["col_4"] = "company"
    r2 = client.post(r["Location"], post)
    assert r2.status_code == 302
    assert "3 added, 2 merged, 1 skipped" in client.get(r2["Location"]).content.decode()
    anouk = Contact.objects.get(email="anouk@example.nl")
    client.post(f"/n/testnet/contacts/{anouk.pk}/invite/")
    assert Invitation.objects.filter(email="anouk@example.nl").exists()
    assert Contact.objects.get(pk=anouk.pk).status == ContactStatus.INVITED
    assert any("anouk@example.nl" in m.to for m in mail.outbox)
    bram = Contact.objects.get(name="Bram van den Berg")
    r = client.post(f"/n/testnet/contacts/{bram.pk}/invite/", follow=True)
    assert "has no e-mail address" in r.content.decode()


def test_other_encodings_and_sizes_through_the_page(client: Any, network: Any, host: Any) -> None:
    """Issue 13, bad input: an export in Windows-1252 (Excel's CSV) and in UTF-16 (Excel's
    "Unicode text", tab-separated) are read, names intact; a 10 MB file is refused with its
    size and the limit; nothing is lost or half-imported."""
    client.force_login(host)
    r = client.post(
        "/n/testnet/contacts/import/", {"file": SimpleUploadedFile("Members.csv", MEETUP)}
    )
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "José Muñoz" in page and "Françoise Dubois" in page and "windows-1252" in page
    unicode_text = MEETUP.decode("cp1252").replace(";", "\t").encode("utf-16")
    assert unicode_text.startswith(b"\xff\xfe")
    r = client.post(
        "/n/testnet/contacts/import/",
        {"file": SimpleUploadedFile("Members.txt", unicode_text)},
    )
    assert r.status_code == 302
    imp = ContactImport.objects.latest("pk")
    assert (imp.encoding, imp.source) == ("utf-16", "meetup")
    assert services.table_of(imp).rows[1][0] == "Françoise Dubois"
    ten_mb = b"Name,Email\n" + b"x" * (10 * 1024 * 1024 - 11)
    assert len(ten_mb) == 10 * 1024 * 1024
    r = client.post("/n/testnet/contacts/import/", {"file": SimpleUploadedFile("big.csv", ten_mb)})
    assert r.status_code == 400
    assert "too big (10.0 MB); the limit is 5 MB" in r.content.decode()
    assert ContactImport.objects.count() == 2 and not Contact.objects.exists()
