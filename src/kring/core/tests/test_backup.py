"""Backup → change everything → restore: every table's rows and checksums come back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kring.core import backup as bk

pytestmark = pytest.mark.django_db(transaction=True)


def _populate(network: Any, host: Any, member: Any) -> None:
    from kring.ledger import services as ledger
    from kring.people.services import create_api_token, set_profile_tags

    set_profile_tags(profile=member.profile, tags={"passion": ["koken", "fietsen"]})
    create_api_token(user=member)
    ledger.record_expense(
        actor=member, network=network, payer_id=member.pk, amount_cents=4567,
        spent_on=date(2026, 11, 2), description="Soep & brood — €45,67", category="catering",
        split_method="equal", member_ids=[member.pk, host.pk],
    )  # fmt: skip


def test_round_trip_loses_nothing(
    tmp_path: Path, settings: Any, network: Any, host: Any, member: Any
) -> None:
    _populate(network, host, member)
    media = Path(settings.MEDIA_ROOT)
    (media / "profiles").mkdir(parents=True, exist_ok=True)
    (media / "profiles" / "photo.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    before = bk.table_fingerprints()
    assert before["people_user"]["rows"] >= 2

    archive = tmp_path / "kring-backup.tar.gz"
    call_command("backup", str(archive))
    assert archive.exists()

    # Damage the data and the media after the backup.
    from kring.ledger.models import Expense
    from kring.people.models import Profile, User

    Profile.objects.update(display_name="changed")
    from kring.ledger.models import ExpenseShare

    ExpenseShare.objects.all().delete()
    Expense.objects.all().delete()
    User.objects.create_user("late@example.org", "x")
    (media / "profiles" / "photo.jpg").unlink()
    assert bk.table_fingerprints() != before

    call_command("restore", str(archive), "--yes")

    after = bk.table_fingerprints()
    assert after == before
    assert (media / "profiles" / "photo.jpg").read_bytes() == b"\xff\xd8 not really a jpeg"
    assert not User.objects.filter(email="late@example.org").exists()


def test_logical_dump_fallback_round_trip(
    tmp_path: Path, monkeypatch: Any, network: Any, host: Any, member: Any
) -> None:
    _populate(network, host, member)
    monkeypatch.setattr(bk, "_engine", lambda: "dumpdata")
    archive = tmp_path / "logical.tar.gz"
    manifest = bk.backup(archive)
    assert manifest["engine"] == "dumpdata"
    from kring.people.models import Profile

    Profile.objects.update(display_name="changed")
    bk.restore(archive)  # raises BackupError when a checksum differs
    assert not Profile.objects.filter(display_name="changed").exists()


def test_restore_refuses_a_tampered_manifest(tmp_path: Path, member: Any) -> None:
    import json
    import tarfile

    archive = tmp_path / "b.tar.gz"
    bk.backup(archive, include_media=False)
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    manifest = json.loads((work / "manifest.json").read_text())
    manifest["tables"]["people_user"]["rows"] += 1
    (work / "manifest.json").write_text(json.dumps(manifest))
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        for item in work.iterdir():
            tar.add(item, arcname=item.name)
    with pytest.raises(bk.BackupError):
        bk.restore(bad, include_media=False)


def test_seeded_installation_round_trips_and_balances(tmp_path: Path) -> None:
    from django.db.models import Count, F, Q

    from kring.gatherings.models import Gathering
    from kring.ledger.selectors import balances
    from kring.networks.models import Network

    call_command("seed", "--networks", "2", "--members", "20", "--gatherings", "6")
    call_command("seed", "--networks", "2", "--members", "20", "--gatherings", "6")  # idempotent
    assert Network.objects.filter(slug__startswith="load-").count() == 2
    for network in Network.objects.all():
        assert sum(balances(network).values()) == 0
    going = Count("rsvps", filter=Q(rsvps__status="going"))
    assert not Gathering.objects.annotate(going=going).exclude(seats_taken=F("going")).exists()
    before = bk.table_fingerprints()
    archive = tmp_path / "seeded.tar.gz"
    bk.backup(archive, include_media=False)
    Network.objects.filter(slug="load-001").update(name="changed")
    bk.restore(archive, include_media=False)
    assert bk.table_fingerprints() == before


def test_restore_without_a_terminal_says_use_yes(tmp_path: Path, member: Any) -> None:
    """Finding: `kring restore` without a terminal crashed with EOFError."""
    from django.core.management.base import CommandError

    archive = tmp_path / "b.tar.gz"
    bk.backup(archive, include_media=False)
    with pytest.raises(CommandError, match="Use --yes"):
        call_command("restore", str(archive))  # pytest's stdin is no terminal
    call_command("restore", str(archive), "--no-input")  # Django's usual flag works too


def test_a_development_backup_carries_the_secret_key(
    tmp_path: Path, settings: Any, member: Any
) -> None:
    """Finding: restoring into an empty data folder made a new key; signed links failed."""
    key_file = tmp_path / "data" / "secret_key"
    key_file.parent.mkdir()
    key_file.write_text("the-development-key")
    settings.SECRET_KEY_FILE = key_file
    archive = tmp_path / "dev.tar.gz"
    manifest = bk.backup(archive, include_media=False)
    assert manifest["secret_key"] is True
    key_file.unlink()  # an empty data folder
    restored = bk.restore(archive, include_media=False)
    assert key_file.read_text() == "the-development-key"
    assert restored["secret_key_restored"] is True
    assert "restart Kring" in bk.describe(restored)


def test_a_production_backup_never_holds_the_key(
    tmp_path: Path, settings: Any, member: Any
) -> None:
    import tarfile

    key_file = tmp_path / "secret_key"
    key_file.write_text("must-not-travel")
    settings.SECRET_KEY_FILE = key_file
    settings.PRODUCTION = True
    archive = tmp_path / "prod.tar.gz"
    assert bk.backup(archive, include_media=False)["secret_key"] is False
    with tarfile.open(archive) as tar:
        assert "secret_key" not in tar.getnames()


def test_a_backup_carries_the_generated_web_push_key(
    tmp_path: Path, settings: Any, member: Any
) -> None:
    """With a new key every push subscription in the restored database would be refused."""
    import tarfile

    key_file = tmp_path / "data" / "vapid_private_key.pem"
    key_file.parent.mkdir()
    key_file.write_bytes(b"-----BEGIN PRIVATE KEY-----\nthe-push-key\n")
    settings.KRING_VAPID_KEY_FILE = key_file
    settings.KRING_VAPID_PRIVATE_KEY = ""
    settings.PRODUCTION = True
    archive = tmp_path / "push.tar.gz"
    assert bk.backup(archive, include_media=False)["vapid_key"] is True
    key_file.unlink()
    restored = bk.restore(archive, include_media=False)
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert restored["vapid_key_restored"] is True and "web push key" in bk.describe(restored)
    settings.KRING_VAPID_PRIVATE_KEY = "configured"  # from the environment: never in a backup
    assert bk.backup(archive, include_media=False)["vapid_key"] is False
    with tarfile.open(archive) as tar:
        assert "vapid_private_key.pem" not in tar.getnames()
