"""The settings module: safe defaults, strict in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _load(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kring.settings'; "
        "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KRING_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "KRING_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_development_defaults_work_and_generate_a_secret(tmp_path: Path) -> None:
    result = _load({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
    assert "False" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KRING_ENV": "production"}, "KRING_SECRET_KEY"),
        ({"KRING_ENV": "production", "KRING_SECRET_KEY": "x" * 60}, "KRING_ALLOWED_HOSTS"),
        (
            {
                "KRING_ENV": "production",
                "KRING_SECRET_KEY": "x" * 60,
                "KRING_ALLOWED_HOSTS": "kring.example.org",
            },
            "KRING_EMAIL_HOST",
        ),
        ({"KRING_DEBUG": "perhaps"}, "KRING_DEBUG"),
        ({"KRING_ENV": "staging"}, "KRING_ENV"),
        ({"KRING_FILE_SERVING": "public-media"}, "KRING_FILE_SERVING"),
    ],
)
def test_strict_configuration_errors(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = _load(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_with_everything_set_starts(tmp_path: Path) -> None:
    result = _load(
        {
            "KRING_ENV": "production",
            "KRING_SECRET_KEY": "x" * 60,
            "KRING_ALLOWED_HOSTS": "kring.example.org",
            "KRING_EMAIL_HOST": "smtp.example.org",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "kring.example.org" in result.stdout
