"""Thin views over the ledger's services and selectors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.core.errors import DomainError
from kring.core.files import serve_file
from kring.core.pagecache import cached_page
from kring.core.views_helpers import form_error, message_error, use_case
from kring.networks.access import NetworkAccess, access_network
from kring.networks.models import Membership, MembershipStatus
from kring.people.auth import AuthedRequest

from . import exports, integration, qr, selectors, services
from .forms import (
    AmountForm,
    BankForm,
    ContributionForm,
    ExpenseForm,
    ExportForm,
    PeriodForm,
    ReverseForm,
    SupportForm,
    TransferForm,
)
from .models import (
    BankAccount,
    Expense,
    PaymentRequest,
    SupportRequest,
    Transfer,
    TransferStatus,
)


def _people(acc: NetworkAccess) -> list[tuple[int, str, bool]]:
    ms = Membership.objects.current().filter(network=acc.network).select_related("user__profile")
    rows = [(m.user_id, m.user.display_name, m.status == MembershipStatus.ACTIVE) for m in ms]
    return sorted(rows, key=lambda r: r[1].lower())


def _today(acc: NetworkAccess) -> date:
    return timezone.localdate(timezone.now(), acc.network.tzinfo)


def _period(request: HttpRequest, acc: NetworkAccess) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    today = _today(acc)
    start, end = date(today.year, 1, 1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


TABS = ("balance", "settle", "ledger")


@login_required
@cached_page
def index(request: AuthedRequest, slug: str) -> HttpResponse:
    """The costs page. Each tab reads only what it shows: the balance tabs read the running
    totals (one row per person) and the cached settle-up plan, the ledger tab the entries."""
    acc = access_network(request.user, slug)
    me = request.user.pk
    tab = request.GET.get("tab", "")
    if tab not in TABS:
        tab = "ledger" if ("start" in request.GET or "end" in request.GET) else "balance"
    if request.htmx:  # type: ignore[attr-defined]
        tab = "ledger"  # the period filter swaps the entries
    context: dict[str, Any] = {"network": acc.network, "is_host": acc.is_host, "tab": tab, "me": me}
    if tab == "ledger":
        form, start, end = _period(request, acc)
        expenses = list(selectors.expenses_for(acc.network, start=start, end=end)[:500])
        context.update(
            expenses=expenses,
            titles=integration.gathering_titles(
                acc.network, {e.gathering_id for e in expenses if e.gathering_id}
            ),
            transfers=list(selectors.transfers_for(acc.network, start=start, end=end)[:500]),
            period_form=form,
            start=start,
            end=end,
            pot=selectors.pot_totals(acc.network),
            export_form=ExportForm(initial={"start": start, "end": end}),
        )
    else:
        bal = selectors.balances(acc.network)
        plan = selectors.settle_plan(acc.network, bal)
        if tab == "balance":
            plan = [t for t in plan if me in (t.payer, t.payee)]
        people = bal.keys() if tab == "settle" else {u for t in plan for u in (t.payer, t.payee)}
        names = selectors.names(acc.network, people)
        suggestions = selectors.suggestion_rows(plan, names)
        # "Awaiting confirmation": what I paid and the payee has not confirmed yet. A settle-up
        # suggestion I already paid shows that state instead of a pay button.
        awaiting = selectors.awaiting_confirmation(acc.network, request.user)
        awaiting_to = {t.payee_id for t in awaiting}
        for row in suggestions:
            row["awaiting"] = row["payer"] == me and row["payee"] in awaiting_to
        suggestions.sort(key=lambda r: (me not in (r["payer"], r["payee"]),))
        context.update(
            awaiting=awaiting,
            my_suggestions=[r for r in suggestions if me in (r["payer"], r["payee"])],
            suggestions=suggestions,
            my_balance=bal.get(me, 0),
        )
        if tab == "settle":
            context["balances"] = sorted(
                ((names.get(u, "?"), u, c) for u, c in bal.items()),
                key=lambda r: (r[0].lower(), r[1]),
            )
        else:
            context.update(
                pending=selectors.pending_for(acc.network, request.user),
                requests=selectors.requests_for(acc.network, request.user),
                pot=selectors.pot_totals(acc.network),
            )
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "ledger/index.html#entries", context)
    else:
        response = render(request, "ledger/index.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def expense_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        people=_people(acc),
        gatherings=integration.recent_gatherings(acc.network),
        can_pick_payer=acc.is_host,
        me=request.user.pk,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            expense = services.record_expense(
                actor=request.user,
                network=acc.network,
                payer_id=d["payer"],
                amount_cents=d["amount"],
                spent_on=d["spent_on"],
                description=d["description"],
                category=d["category"],
                split_method=d["split_method"],
                gathering_id=d.get("gathering"),
                receipt=d.get("receipt"),
                **form.split_kwargs(),
            )
        except DomainError as exc:
            if exc.field == "amount_cents":
                exc.field = "amount"
            elif exc.field == "gathering_id":
                exc.field = "gathering"
            elif exc.field == "payer_id":
                exc.field = "payer"
            form_error(form, exc)
        else:
            messages.success(request, _("The expense is recorded."))
            return redirect("ledger:expense", slug=slug, expense_id=expense.pk)
    return render(
        request,
        "ledger/expense_form.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
        },
    )


def _expense(acc: NetworkAccess, expense_id: int) -> Expense:
    return get_object_or_404(
        Expense.objects.select_related(
            "payer__profile", "created_by__profile", "reverses"
        ).prefetch_related("shares__user__profile"),
        pk=expense_id,
        network=acc.network,
    )


@login_required
def expense_detail(request: AuthedRequest, slug: str, expense_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    expense = _expense(acc, expense_id)
    reversal = Expense.objects.filter(reverses=expense).first()
    can_reverse = (
        not expense.is_reversal
        and reversal is None
        and (acc.is_host or request.user.pk in {expense.payer_id, expense.created_by_id})
    )
    titles = integration.gathering_titles(
        acc.network, {expense.gathering_id} if expense.gathering_id else set()
    )
    return render(
        request,
        "ledger/expense_detail.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "expense": expense,
            "reversal": reversal,
            "can_reverse": can_reverse,
            "form": ReverseForm(),
            "gathering_title": titles.get(expense.gathering_id or 0, ""),
            "shares": sorted(expense.shares.all(), key=lambda s: s.user.display_name.lower()),
        },
    )


@login_required
@require_POST
def expense_reverse(request: AuthedRequest, slug: str, expense_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    expense = _expense(acc, expense_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
    else:
        with use_case(request, success=_("The expense is reversed.")):
            services.reverse_expense(
                actor=request.user, expense=expense, reason=form.cleaned_data["reason"]
            )
    return redirect("ledger:expense", slug=slug, expense_id=expense.pk)


@login_required
def receipt(request: AuthedRequest, slug: str, expense_id: int) -> HttpResponseBase:
    acc = access_network(request.user, slug)
    expense = _expense(acc, expense_id)
    if not expense.receipt:
        raise Http404(_("No receipt."))
    return serve_file(
        request,
        expense.receipt,
        filename=expense.receipt_name
        or f"receipt-{expense.pk}.{(expense.receipt.name or '').rsplit('.', 1)[-1]}",
        content_type=expense.receipt_type,
        inline=True,
    )


@login_required
def transfer_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    people = [(u, n) for u, n, _a in _people(acc) if u != request.user.pk]
    form = TransferForm(
        request.POST or None, people=people, initial={"payee": request.GET.get("payee")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_transfer(
                actor=request.user,
                network=acc.network,
                payee_id=d["payee"],
                cents=d["amount"],
                paid_on=d["paid_on"],
                note=d["note"],
            )
        except DomainError as exc:
            exc.field = {"cents": "amount", "payee_id": "payee"}.get(exc.field or "", exc.field)
            form_error(form, exc)
        else:
            messages.success(
                request, _("The payment is recorded. It counts once the receiver confirms it.")
            )
            return redirect("ledger:index", slug=slug)
    return render(
        request,
        "ledger/transfer_form.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "form": form,
        },
    )


@login_required
@require_POST
def transfer_decide(request: AuthedRequest, slug: str, transfer_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    transfer = get_object_or_404(Transfer, pk=transfer_id, network=acc.network)
    confirm = request.POST.get("decision") != "decline"
    try:
        services.decide_transfer(actor=request.user, transfer=transfer, confirm=confirm)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from None
        message_error(request, exc)
    else:
        messages.success(
            request, _("Payment confirmed.") if confirm else _("Marked as not received.")
        )
    return redirect("ledger:index", slug=slug)


@login_required
@require_POST
def request_new(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    try:
        req = services.request_payment(
            actor=request.user,
            network=acc.network,
            payer_id=int(request.POST.get("payer", 0)),
            payee_id=int(request.POST.get("payee", 0)),
            cents=int(request.POST.get("cents", 0)),
        )
    except (ValueError, TypeError):
        messages.error(request, _("That suggestion is not valid."))
        return redirect("ledger:index", slug=slug)
    except DomainError as exc:
        message_error(request, exc)
        return redirect("ledger:index", slug=slug)
    return redirect("ledger:request", slug=slug, request_id=req.pk)


@login_required
def request_detail(request: AuthedRequest, slug: str, request_id: int) -> HttpResponse:
    acc = access_network(request.user, slug)
    req = get_object_or_404(
        PaymentRequest.objects.select_related("payer__profile", "payee__profile", "network"),
        pk=request_id,
        network=acc.network,
    )
    if request.method == "POST":
        with use_case(request) as done:
            services.record_transfer(
                actor=request.user,
                network=acc.network,
                payee_id=req.payee_id,
                cents=req.cents,
                request=req,
                note=req.reference,
            )
        if done:
            messages.success(
                request,
                _("Thank you. %(name)s will confirm the payment.")
                % {"name": req.payee.display_name},
            )
            return redirect("ledger:index", slug=slug)
    account = None
    if request.user.pk in {req.payer_id, req.payee_id}:  # only to someone who owes the payee
        account = selectors.bank_account_visible(
            acc.network, viewer=request.user, owner_id=req.payee_id
        )
    svg = text = ""
    if account is not None:
        svg = qr.epc_svg(
            name=account.holder,
            iban=account.iban,
            cents=req.cents,
            text=req.reference,
            title=_("Payment QR code"),
        )
        text = qr.transfer_text(
            name=account.holder, iban=account.iban, cents=req.cents, text=req.reference
        )
    return render(
        request,
        "ledger/request_detail.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "req": req,
            "account": account,
            "qr_svg": svg,
            "transfer_text": text,
            "is_payer": request.user.pk == req.payer_id,
            "paid": req.transfers.exclude(status=TransferStatus.DECLINED).first(),
        },
    )


@login_required
def bank(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    account = BankAccount.objects.filter(network=acc.network, user=request.user).first()
    initial = (
        {"iban": account.iban_display, "holder": account.holder}
        if account
        else {"holder": request.user.display_name}
    )
    form = BankForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with use_case(request, form=form) as done:
            services.set_bank_account(
                actor=request.user,
                network=acc.network,
                iban=form.cleaned_data["iban"],
                holder=form.cleaned_data["holder"],
            )
        if done:
            messages.success(request, _("Your bank details are saved."))
            return redirect("ledger:bank", slug=slug)
    return render(
        request,
        "ledger/bank.html",
        {"network": acc.network, "is_host": acc.is_host, "form": form, "account": account},
    )


@login_required
def pot(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    give = AmountForm(request.POST if request.POST.get("action") == "give" else None, prefix="give")
    ask = SupportForm(request.POST if request.POST.get("action") == "ask" else None, prefix="ask")
    if request.method == "POST":
        form: Any = give if request.POST.get("action") == "give" else ask
        if form.is_valid():
            d = form.cleaned_data
            try:
                if form is give:
                    services.contribute_to_pot(
                        actor=request.user, network=acc.network, cents=d["amount"]
                    )
                    messages.success(request, _("Thank you for your contribution to the pot."))
                else:
                    services.ask_support(
                        actor=request.user, network=acc.network, cents=d["amount"], note=d["note"]
                    )
                    messages.success(request, _("Your request is sent to the hosts only."))
            except DomainError as exc:
                exc.field = "amount" if exc.field == "cents" else exc.field
                form_error(form, exc)
            else:
                return redirect("ledger:pot", slug=slug)
    return render(
        request,
        "ledger/pot.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "totals": selectors.pot_totals(acc.network),
            "give": give,
            "ask": ask,
            "requests": selectors.open_support_requests(acc.network) if acc.is_host else [],
            "my_requests": SupportRequest.objects.filter(network=acc.network, user=request.user)[
                :20
            ],
        },
    )


@login_required
@require_POST
def pot_decide(request: AuthedRequest, slug: str, request_id: int) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    sreq = get_object_or_404(SupportRequest, pk=request_id, network=acc.network)
    with use_case(request, success=_("Saved.")):
        services.decide_support(
            actor=request.user, request=sreq, grant=request.POST.get("decision") == "grant"
        )
    return redirect("ledger:pot", slug=slug)


@login_required
def coverage(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form, start, end = _period(request, acc)
    rows, total = selectors.coverage(acc.network, start=start, end=end)
    return render(
        request,
        "ledger/coverage.html",
        {
            "network": acc.network,
            "is_host": acc.is_host,
            "rows": rows,
            "total": total,
            "period_form": form,
            "start": start,
            "end": end,
            "settings": selectors.ledger_settings(acc.network),
        },
    )


@login_required
@require_POST
def contribution(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the amount like 12,50."))
    else:
        with use_case(request, success=_("The contribution per attendee is set.")):
            services.set_contribution(
                actor=request.user,
                network=acc.network,
                gathering_id=form.cleaned_data["gathering"],
                cents=form.cleaned_data["amount"],
            )
    return redirect("ledger:coverage", slug=slug)


@login_required
@require_POST
def settings_view(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug, host=True)
    services.update_ledger_settings(
        actor=request.user,
        network=acc.network,
        show_costs_publicly=request.POST.get("show_costs_publicly") == "on",
    )
    messages.success(request, _("Saved."))
    return redirect("ledger:coverage", slug=slug)


@login_required
def export(request: AuthedRequest, slug: str) -> HttpResponse:
    acc = access_network(request.user, slug)
    form = ExportForm(request.GET)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join([_("Choose what to export."), *problems]))
        return redirect("ledger:index", slug=slug)
    d = form.cleaned_data
    end = d["end"] or _today(acc)
    if d["what"] == "balances":
        body = exports.balances_csv(
            acc.network, until=end, separator=d["separator"], decimal=d["decimal"]
        )
        name = f"{slug}-balances-{end}.csv"
    else:
        start = d["start"] or end - timedelta(days=365)
        body = exports.ledger_csv(
            acc.network, start=start, end=end, separator=d["separator"], decimal=d["decimal"]
        )
        name = f"{slug}-ledger-{start}-{end}.csv"
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
