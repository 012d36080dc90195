import hashlib

from django.db import migrations


def hash_stored_keys(apps, schema_editor):
    # Keys were stored cut at 120 characters; from now on the SHA-256 of the whole key is
    # stored. A client that repeats a key of up to 120 characters still gets its expense.
    Expense = apps.get_model("ledger", "Expense")
    for expense in Expense.objects.exclude(idempotency_key="").only("pk", "idempotency_key"):
        digest = hashlib.sha256(expense.idempotency_key.encode()).hexdigest()
        Expense.objects.filter(pk=expense.pk).update(idempotency_key=digest)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_receipts_random_names")]
    operations = [migrations.RunPython(hash_stored_keys, migrations.RunPython.noop)]
