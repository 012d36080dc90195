"""Use-cases for contacts: upload an export, preview and map its columns, import, invite."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import audit
from kring.core.errors import Conflict, DomainError
from kring.networks import services as networks
from kring.networks.access import require_host
from kring.networks.models import Membership, Network
from kring.people.models import User

from . import csvfiles
from .models import Contact, ContactImport, ContactStatus

REASONS = {
    "excel": _("This is an Excel workbook, not a CSV file. Save it as CSV (comma separated)."),
    "binary": _("This file is not a CSV file (it holds binary data)."),
    "broken": _("This CSV file cannot be read: a quote or a line is broken."),
    "no_columns": _("This file has no columns: it is not a CSV export."),
}


def _host(actor: Any, network: Network) -> None:
    require_host(actor, network)


@transaction.atomic
def upload_export(
    *, actor: User, network: Network, filename: str, size: int, content: bytes
) -> ContactImport:
    """Keep an uploaded export for the preview; refuse what we cannot read, saying why."""
    _host(actor, network)
    name = (filename or "").strip()
    if size > csvfiles.MAX_BYTES:
        raise DomainError(
            _("The file is too big (%(mb)s MB); the limit is 5 MB. Split it or leave columns out."),
            field="file",
            mb=round(size / 1024 / 1024, 1),
        )
    if not name.lower().endswith((".csv", ".txt")):
        raise DomainError(_("Upload a CSV file (.csv). From Excel: Save as → CSV."), field="file")
    if not content.strip():
        raise DomainError(_("The file is empty."), field="file")
    try:
        text, encoding = csvfiles.decode(content)
        table = csvfiles.read_table(text)
    except csvfiles.NotACsv as exc:
        raise DomainError(REASONS[exc.reason], field="file") from exc
    if not table.rows:
        raise DomainError(_("The file has a header but no people in it."), field="file")
    imp = ContactImport.objects.create(
        network=network,
        created_by=actor,
        filename=name[:200],
        encoding=encoding,
        source=table.source,
        text=text,
    )
    audit.record(verb="contacts.uploaded", actor=actor, network=network, obj=imp)
    return imp


def table_of(imp: ContactImport) -> csvfiles.Table:
    return csvfiles.read_table(imp.text)


@dataclass
class ImportResult:
    added: int = 0
    merged: int = 0
    skipped: int = 0
    without_email: int = 0
    notes: list[dict[str, Any]] = field(default_factory=list)  # {"line", "name", "reason"}

    def note(self, line: int, name: str, reason: str) -> None:
        if len(self.notes) < 500:
            self.notes.append({"line": line, "name": name, "reason": reason})


def _clean_mapping(mapping: list[str], width: int) -> list[str]:
    mapping = [(m if m in csvfiles.FIELDS else "") for m in mapping][:width]
    mapping += [""] * (width - len(mapping))
    chosen = [m for m in mapping if m]
    if len(chosen) != len(set(chosen)):
        raise DomainError(_("Each kind of information can come from one column only."))
    if not ({"name", "first_name", "last_name", "email"} & set(chosen)):
        raise DomainError(_("Pick at least the column with the name or the e-mail address."))
    return mapping


@transaction.atomic
def run_import(*, actor: User, imp: ContactImport, mapping: list[str]) -> ImportResult:
    """Import the people: merge by e-mail (with members, known contacts and each other), keep
    people without an e-mail address as "to invite" contacts, skip only empty rows."""
    network = imp.network
    _host(actor, network)
    imp = ContactImport.objects.select_for_update().get(pk=imp.pk)
    if imp.done_at is not None:
        raise Conflict(_("This file has been imported already."))
    table = table_of(imp)
    mapping = _clean_mapping(mapping, len(table.header))
    result = ImportResult()
    members = {
        e.lower()
        for e in Membership.objects.current()
        .filter(network=network)
        .values_list("user__email", flat=True)
    }
    by_email = {c.email: c for c in Contact.objects.filter(network=network).exclude(email="")}
    by_name = {c.name.casefold(): c for c in Contact.objects.filter(network=network, email="")}
    for person in csvfiles.people(table, mapping):
        email = person.email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.note(
                    person.line,
                    person.name,
                    str(_("e-mail address “%(email)s” is not valid; kept without it"))
                    % {"email": email[:80]},
                )
                email = ""
        if not person.name and not email:
            result.skipped += 1
            result.note(person.line, "", str(_("no name and no e-mail address")))
            continue
        if email and email in members:
            result.merged += 1
            result.note(person.line, person.name, str(_("already a member")))
            continue
        existing = by_email.get(email) if email else by_name.get(person.name.casefold())
        if existing is not None:
            changed = False
            for attr in ("name", "company", "position"):
                value = getattr(person, attr)
                if value and not getattr(existing, attr):
                    setattr(existing, attr, value)
                    changed = True
            if changed:
                existing.save()
            result.merged += 1
            result.note(
                person.line,
                person.name or email,
                str(_("same e-mail address as another contact; merged"))
                if email
                else str(_("same name as a contact without e-mail address; merged")),
            )
            continue
        contact = Contact.objects.create(
            network=network,
            name=person.name or email.split("@")[0],
            email=email,
            company=person.company,
            position=person.position,
            source=imp.source,
        )
        if email:
            by_email[email] = contact
        else:
            by_name[contact.name.casefold()] = contact
            result.without_email += 1
        result.added += 1
    ContactImport.objects.filter(pk=imp.pk).update(
        result=asdict(result), done_at=timezone.now(), text=""
    )
    audit.record(
        verb="contacts.imported",
        actor=actor,
        network=network,
        obj=imp,
        added=result.added,
        merged=result.merged,
        skipped=result.skipped,
    )
    return result


@transaction.atomic
def invite_contact(*, actor: User, contact: Contact) -> Contact:
    """Invite a contact through the network's invitation path (a mail with a join link)."""
    _host(actor, contact.network)
    if not contact.email:
        raise Conflict(
            _("%(name)s has no e-mail address; invite them another way."), name=contact.name
        )
    result = networks.invite_people(
        actor=actor,
        network=contact.network,
        rows=[networks.InviteRow(email=contact.email, name=contact.name[:120])],
    )
    status = ContactStatus.MEMBER if result.already_member else ContactStatus.INVITED
    Contact.objects.filter(pk=contact.pk).update(status=status, updated_at=timezone.now())
    contact.status = status
    return contact
