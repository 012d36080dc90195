from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kring.core.errors import DomainError
from kring.core.files import serve_file
from kring.core.tasks import enqueue_on_commit
from kring.people.auth import AuthedRequest

from . import services
from .forms import DeleteAccountForm
from .registry import BLANK, DELETE, FIELD_WORDS, KEEP, NAMES, PSEUDONYMISE
from .security import revoke_everything
from .tasks import export_personal_data

STRATEGY_LABELS = {
    DELETE: gettext_lazy("deleted"),
    BLANK: gettext_lazy("cleared"),
    PSEUDONYMISE: gettext_lazy("pseudonymised"),
    KEEP: gettext_lazy("kept, linked to “Former member”"),
}


def field_words(model: type[Model], name: str) -> str:
    """A field as people say it: the registry's word, else the model field's label."""
    if name in FIELD_WORDS:
        return str(FIELD_WORDS[name])
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def privacy_page(request: HttpRequest) -> HttpResponse:
    """The privacy statement, generated from the registry (public)."""
    groups: dict[str, list[dict]] = {}
    for label, model, entry in services.registry_models():
        fields = [field_words(model, name) for name in entry.fields if not name.startswith("_")]
        groups.setdefault(str(entry.purpose), []).append(
            {
                "label": label,
                "name": str(NAMES[label]),
                "fields": fields,
                "strategy": str(STRATEGY_LABELS[entry.strategy]),
            }
        )
    return render(request, "privacy/privacy.html", {"groups": sorted(groups.items())})


@login_required
def my_data(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    return render(request, "privacy/my_data.html", {"form": DeleteAccountForm(user=request.user)})


@login_required
@require_POST
def request_export(request: AuthedRequest) -> HttpResponse:
    enqueue_on_commit(export_personal_data, request.user.pk)
    messages.success(
        request, _("We are putting your data together. You will get an e-mail with a link.")
    )
    return redirect("privacy:my_data")


@login_required
def download(request: AuthedRequest, token: str) -> HttpResponseBase:
    request.no_store = True  # type: ignore[attr-defined]
    try:
        name = services.open_export(token=token, user=request.user)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    return serve_file(request, name, filename="kring-my-data.zip", content_type="application/zip")


@login_required
@require_POST
def sign_out_everywhere(request: AuthedRequest) -> HttpResponse:
    revoke_everything(user=request.user, reason="logout_all")
    logout(request)
    messages.success(request, _("You are signed out everywhere; all API tokens are revoked."))
    return redirect("account_login")


@login_required
def delete_account(request: AuthedRequest) -> HttpResponse:
    request.no_store = True  # type: ignore[attr-defined]
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.erase_account(user=user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Goodbye, and thank you."))
            return redirect("site:home")
    status = 400 if form.errors else 200
    return render(request, "privacy/my_data.html", {"form": form}, status=status)


def benchmark_bare(request: HttpRequest) -> HttpResponse:
    """A bare Django page rendering a 50-row template (only with KRING_BENCHMARK_PAGE=1)."""
    rows = [{"n": i, "name": f"Rij {i}", "value": i * 37 % 101} for i in range(50)]
    return render(request, "privacy/benchmark_bare.html", {"rows": rows})
