"""Carry the old per-network digest opt-outs (``public.NotificationSetting``) over to the
person's choice: whoever turned a digest off gets no weekly digest."""

from django.db import migrations


def forwards(apps, schema_editor):
    old = apps.get_model("public", "NotificationSetting")
    Preference = apps.get_model("notify", "Preference")
    user_ids = set(
        old.objects.filter(kind="digest", enabled=False).values_list("user_id", flat=True)
    )
    for user_id in user_ids:
        Preference.objects.update_or_create(
            user_id=user_id, kind="digest", channel="email", defaults={"mode": "off"}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
        ("public", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
