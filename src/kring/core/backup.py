"""Consistent backups: the database plus media in one ``.tar.gz``, and restore.

- SQLite: the online backup API (a consistent copy while Kring keeps running);
- PostgreSQL: ``pg_dump --format=custom`` when the tool is installed, restored with
  ``pg_restore --clean``;
- otherwise: a full logical dump (every table's raw rows as JSON), restored row for row
  with foreign-key checks deferred to the commit.

A development installation's generated secret key (``KRING_DATA_DIR/secret_key``) travels in
the archive, so signed links (invitations, guest links, exports) keep working after a restore
into an empty data folder; in production the key comes from the environment and never enters
a backup.

The web push key generated into the data folder (``vapid_private_key.pem``, when
``KRING_VAPID_PRIVATE_KEY`` is not set) travels too, in development and production alike:
with a new key every browser's push subscription in the restored database would be refused
by its push service. (The subscriptions it signs for are in the same archive anyway.)

``manifest.json`` in the archive records every table's row count and a checksum of its
rows; :func:`restore` checks the restored database against it and raises on a mismatch.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from kring.core import pagecache

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def table_fingerprints() -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of the ordered rows of every table but the cache (carried, but
    it changes by itself: a restore voids the stored pages' versions, kring.core.pagecache)."""
    out: dict[str, dict[str, Any]] = {}
    cache_table = settings.CACHES["default"].get("LOCATION")
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            if table.startswith("sqlite_") or table == cache_table:
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from introspection
            rows = [tuple(_norm(v) for v in row) for row in cursor.fetchall()]
            rows.sort(key=repr)
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(row).encode())
            out[table] = {"rows": len(rows), "sha256": digest.hexdigest()}
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, float):
        return round(value, 9)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _engine() -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql" and shutil.which("pg_dump") and shutil.which("pg_restore"):
        return "pg_dump"
    return "dumpdata"


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _dump_database(workdir: Path, engine: str) -> str:
    if engine == "sqlite":
        target = workdir / "db.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
        return target.name
    if engine == "pg_dump":
        target = workdir / "db.pgdump"
        args, env = _pg_env()
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [shutil.which("pg_dump") or "pg_dump", "--format=custom", "--no-owner",
             "--no-privileges", *args,
             "--file", str(target), connection.settings_dict["NAME"]],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        return target.name
    target = workdir / "data.json"
    target.write_text(json.dumps(_logical_dump()))
    return target.name


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, (bytes, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$u": str(value)}
    if isinstance(value, (dict, list)):
        return {"$j": json.dumps(value)}
    return value


def _untag(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, raw),) = value.items()
    decoders: dict[str, Callable[[Any], Any]] = {
        "$dt": datetime.fromisoformat,
        "$d": date.fromisoformat,
        "$t": time.fromisoformat,
        "$b": base64.b64decode,
        "$dec": Decimal,
        "$u": uuid.UUID,
        "$j": lambda r: r,
    }
    return decoders[kind](raw)


def _logical_dump() -> dict[str, Any]:
    """Every table's columns and rows, read raw (no model code, nothing re-computed)."""
    out: dict[str, Any] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - introspected name
            columns = [c[0] for c in cursor.description]
            out[table] = {
                "columns": columns,
                "rows": [[_tag(v) for v in row] for row in cursor.fetchall()],
            }
    return out


def _logical_restore(data: dict[str, Any]) -> None:
    """Empty every table and insert the rows back, foreign keys checked at commit."""

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        with connection.constraint_checks_disabled():
            for table in data:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for table, dump in data.items():
                if not dump["rows"]:
                    continue
                cols = ", ".join(connection.ops.quote_name(c) for c in dump["columns"])
                marks = ", ".join(["%s"] * len(dump["columns"]))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({cols}) "  # noqa: S608
                    f"VALUES ({marks})",
                    [[_untag(v) for v in row] for row in dump["rows"]],
                )
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


def _restore_database(engine: str, db_file: Path) -> None:
    if engine == "sqlite":
        if connection.vendor != "sqlite":
            raise BackupError("This is a SQLite backup; restore it on SQLite.")
        connection.ensure_connection()
        src = sqlite3.connect(db_file)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
    elif engine == "pg_dump":
        if connection.vendor != "postgresql":
            raise BackupError("This is a PostgreSQL backup; restore it on PostgreSQL.")
        args, env = _pg_env()
        connection.close()
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [shutil.which("pg_restore") or "pg_restore", "--clean", "--if-exists",
             "--no-owner", "--no-privileges",
             "--single-transaction", *args, "--dbname", connection.settings_dict["NAME"],
             str(db_file)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
    else:
        _logical_restore(json.loads(db_file.read_text()))


VAPID_NAME = "vapid_private_key.pem"


def _secret_key_file() -> Path | None:
    """The development key file to carry, or None (production: the key is the operator's)."""
    key_file = getattr(settings, "SECRET_KEY_FILE", None)
    if settings.PRODUCTION or key_file is None:
        return None
    return Path(key_file)


def _vapid_key_file() -> Path | None:
    """The generated web push key (``kring.push.vapid``); none when the key is configured."""
    key_file = settings.KRING_VAPID_KEY_FILE
    if key_file is None or settings.KRING_VAPID_PRIVATE_KEY:
        return None
    return Path(key_file)


def backup(path: str | Path, *, include_media: bool = True) -> dict[str, Any]:
    """Write the archive to ``path``; returns the manifest."""
    path = Path(path)
    engine = _engine()
    key_file = _secret_key_file()
    carry_key = key_file is not None and key_file.is_file()
    vapid_file = _vapid_key_file()
    carry_vapid = vapid_file is not None and vapid_file.is_file()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with transaction.atomic():  # one consistent view for the fingerprints
            fingerprints = table_fingerprints()
        db_file = _dump_database(workdir, engine)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database_file": db_file,
            "tables": fingerprints,
            "secret_key": carry_key,
            "vapid_key": carry_vapid,
        }
        (workdir / "manifest.json").write_text(json.dumps(manifest, indent=1))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(workdir / "manifest.json", arcname="manifest.json")
            archive.add(workdir / db_file, arcname=db_file)
            if carry_key and key_file is not None:
                archive.add(key_file, arcname="secret_key")
            if carry_vapid and vapid_file is not None:
                archive.add(vapid_file, arcname=VAPID_NAME)
            media = Path(settings.MEDIA_ROOT)
            if include_media and media.is_dir():
                archive.add(media, arcname="media")
        os.replace(partial, path)
    return manifest


def _safe_extract(archive: tarfile.TarFile, dest: Path) -> None:
    archive.extractall(dest, filter="data")


def restore(path: str | Path, *, include_media: bool = True, verify: bool = True) -> dict[str, Any]:
    """Replace the database (and media) with the archive's contents; verify fingerprints."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with tarfile.open(path, "r:gz") as archive:
            _safe_extract(archive, workdir)
        manifest = json.loads((workdir / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        engine = manifest["engine"]
        db_file = workdir / manifest["database_file"]
        with pagecache.paused():  # a new database: every stored page is void afterwards
            _restore_database(engine, db_file)
        manifest["secret_key_restored"] = _restore_secret_key(workdir / "secret_key")
        manifest["vapid_key_restored"] = _restore_vapid_key(workdir / VAPID_NAME)
        if include_media and (workdir / "media").is_dir():
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(workdir / "media", media)
    if verify:
        got = table_fingerprints()
        want = manifest["tables"]
        bad = sorted(t for t in want if got.get(t) != want[t])
        if bad:
            raise BackupError("Restored tables differ from the backup: " + ", ".join(bad))
    return dict(manifest)


def _restore_secret_key(carried: Path) -> bool:
    """Put a development backup's secret key in place; never in production."""
    key_file = _secret_key_file()
    if key_file is None or not carried.is_file():
        return False
    key = carried.read_text().strip()
    if key_file.is_file() and key_file.read_text().strip() == key:
        return False
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return True


def _restore_vapid_key(carried: Path) -> bool:
    """Put the backup's generated web push key in place (when the key is not configured)."""
    key_file = _vapid_key_file()
    if key_file is None or not carried.is_file():
        return False
    key = carried.read_bytes()
    if key_file.is_file() and key_file.read_bytes() == key:
        return False
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(key)
    key_file.chmod(0o600)
    return True


def describe(manifest: dict[str, Any]) -> str:
    rows = sum(t["rows"] for t in manifest["tables"].values())
    out = io.StringIO()
    out.write(f"{manifest['engine']} backup of {len(manifest['tables'])} tables, {rows} rows")
    if manifest.get("secret_key"):
        out.write(", with the development secret key")
    if manifest.get("secret_key_restored"):
        out.write(" (restored: restart Kring so it uses it)")
    if manifest.get("vapid_key"):
        out.write(", with the web push key")
    if manifest.get("vapid_key_restored"):
        out.write(" (restored: restart Kring so it uses it)")
    return out.getvalue()
