"""Hosts' pages: contacts to invite, and importing LinkedIn / Meetup exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.views_helpers import use_case
from kring.networks.access import access_network
from kring.people.auth import AuthedRequest

from . import csvfiles, services
from .forms import MappingForm, UploadForm
from .models import Contact, ContactImport, ContactStatus

PREVIEW_ROWS = 8


@login_required
def contact_list(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    contacts = Contact.objects.filter(network=acc.network)
    status = request.GET.get("status", "")
    if status in ContactStatus.values:
        contacts = contacts.filter(status=status)
    return render(
        request,
        "contacts/list.html",
        {
            "network": acc.network,
            "contacts": contacts[:500],
            "status": status,
            "statuses": ContactStatus.choices,
            "form": UploadForm(),
        },
    )


@login_required
def upload(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        with use_case(request, form=form) as done:
            content = f.read(csvfiles.MAX_BYTES + 1) if f.size <= csvfiles.MAX_BYTES else b""
            imp = services.upload_export(
                actor=request.user,
                network=acc.network,
                filename=f.name,
                size=f.size,
                content=content,
            )
        if done:
            return redirect("contacts:preview", slug=slug, import_id=imp.pk)
    return render(
        request,
        "contacts/upload.html",
        {"network": acc.network, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def preview(request: AuthedRequest, slug: str, import_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    imp = ContactImport.objects.filter(network=acc.network, pk=import_id).first()
    if imp is None:
        raise Http404(_("No such import."))
    if imp.done_at is not None:
        return render(request, "contacts/result.html", {"network": acc.network, "imp": imp})
    table = services.table_of(imp)
    form = MappingForm(
        request.POST or None, header=table.header, initial_map=csvfiles.guess_mapping(table.header)
    )
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.run_import(actor=request.user, imp=imp, mapping=form.mapping())
        if done:
            return redirect("contacts:preview", slug=slug, import_id=imp.pk)
    mapping = (
        form.mapping()
        if form.is_bound and form.is_valid()
        else csvfiles.guess_mapping(table.header)
    )
    sample = csvfiles.people(
        csvfiles.Table(header=table.header, rows=table.rows[:PREVIEW_ROWS], source=table.source),
        mapping,
    )
    return render(
        request,
        "contacts/preview.html",
        {
            "network": acc.network,
            "imp": imp,
            "table": table,
            "form": form,
            "sample": sample,
            "sample_rows": table.rows[:PREVIEW_ROWS],
        },
    )


@login_required
@require_POST
def invite(request: AuthedRequest, slug: str, contact_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    contact = Contact.objects.filter(network=acc.network, pk=contact_id).first()
    if contact is None:
        raise Http404(_("No such contact."))
    with use_case(request, success=_("%(name)s is invited.") % {"name": contact.name}):
        services.invite_contact(actor=request.user, contact=contact)
    return redirect("contacts:list", slug=slug)
