from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.dates import BoundedDateField
from kring.core.forms import choice_field

from .models import EXPENSE_CATEGORIES, SplitMethod

_AMOUNT = re.compile(r"^\d{1,9}([.,]\d{1,2})?$")


def parse_euros(raw: str) -> int:
    """'12,50', '12.5', '€ 1.234,56' → cents. Fractions of a cent are refused."""
    text = (raw or "").replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if text.startswith("-"):
        raise forms.ValidationError(_("The amount must be more than zero."))
    if "," in text and "." in text:  # thousands separators: the last mark is the decimal one
        text = text.replace("." if text.rfind(",") > text.rfind(".") else ",", "")
    if re.match(r"^\d+[.,]\d{3,}$", text):
        raise forms.ValidationError(_("Amounts are in euros and cents: no fractions of a cent."))
    if not _AMOUNT.match(text):
        raise forms.ValidationError(_("Write the amount like 12,50."))
    euros, _sep, cents = text.replace(",", ".").partition(".")
    value = int(euros) * 100 + int((cents + "00")[:2])
    if value <= 0:
        raise forms.ValidationError(_("The amount must be more than zero."))
    return value


class EuroField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> int | None:
        value = super().clean(value)
        if value in (None, ""):
            return None
        return parse_euros(value)


class ExpenseForm(forms.Form):
    description = forms.CharField(label=_("What for"), max_length=200)
    amount = EuroField(label=_("Amount (€)"), help_text=_("For example 45,60"))
    spent_on = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    payer = forms.TypedChoiceField(label=_("Paid by"), coerce=int)
    category = forms.ChoiceField(label=_("Category"), choices=EXPENSE_CATEGORIES)
    gathering = forms.TypedChoiceField(
        label=_("Gathering (optional)"), coerce=int, required=False, empty_value=None
    )
    split_method = forms.ChoiceField(
        label=_("How to split"),
        choices=SplitMethod.choices,
        widget=forms.RadioSelect,
        initial=SplitMethod.EQUAL,
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Shared by"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For an equal split. Paused members are not ticked by default."),
    )
    receipt = forms.FileField(
        label=_("Receipt (photo or PDF, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str, bool]],
        gatherings: list[tuple[int, str]],
        can_pick_payer: bool,
        me: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        choices = [(uid, name) for uid, name, _active in people]
        choice_field(self.fields["payer"]).choices = (
            choices if can_pick_payer else [c for c in choices if c[0] == me]
        )
        self.fields["payer"].initial = me
        choice_field(self.fields["members"]).choices = choices
        self.fields["members"].initial = [uid for uid, _n, active in people if active]
        self.fields["spent_on"].initial = timezone.localdate()
        if gatherings:
            choice_field(self.fields["gathering"]).choices = [("", "—"), *gatherings]
        else:
            del self.fields["gathering"]
            choice_field(self.fields["split_method"]).choices = [
                c for c in SplitMethod.choices if c[0] != SplitMethod.CHECKED_IN
            ]
        for uid, name, _active in people:
            self.fields[f"share_{uid}"] = forms.IntegerField(
                label=name, required=False, min_value=0, max_value=1000
            )
            self.fields[f"amount_{uid}"] = EuroField(label=name, required=False)

    def share_fields(self) -> list[Any]:
        return [self[f"share_{uid}"] for uid, _n, _a in self.people]

    def amount_fields(self) -> list[Any]:
        return [self[f"amount_{uid}"] for uid, _n, _a in self.people]

    def split_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        method = d["split_method"]
        if method == SplitMethod.SHARES:
            return {
                "shares": {
                    uid: d[f"share_{uid}"] for uid, _n, _a in self.people if d.get(f"share_{uid}")
                }
            }
        if method == SplitMethod.EXACT:
            return {
                "amounts": {
                    uid: d[f"amount_{uid}"] for uid, _n, _a in self.people if d.get(f"amount_{uid}")
                }
            }
        if method == SplitMethod.EQUAL:
            return {"member_ids": d["members"] or [-1]}  # nobody ticked → a clear error
        return {}

    def clean_spent_on(self) -> date:
        return self.cleaned_data["spent_on"]


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


class TransferForm(forms.Form):
    payee = forms.TypedChoiceField(label=_("Paid to"), coerce=int)
    amount = EuroField(label=_("Amount (€)"))
    paid_on = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(
        label=pgettext_lazy("annotation", "Note"), max_length=200, required=False
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["payee"]).choices = people
        self.fields["paid_on"].initial = timezone.localdate()


class BankForm(forms.Form):
    iban = forms.CharField(
        label=_("IBAN"), max_length=42, required=False, help_text=_("Leave empty to remove it.")
    )
    holder = forms.CharField(label=_("Account holder"), max_length=70, required=False)


class AmountForm(forms.Form):
    amount = EuroField(label=_("Amount (€)"))


class SupportForm(forms.Form):
    amount = EuroField(label=_("Amount (€)"))
    note = forms.CharField(
        label=_("Note for the hosts (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContributionForm(forms.Form):
    gathering = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.CharField(label=_("Contribution per attendee (€)"), max_length=20)

    def clean_amount(self) -> int:
        raw = self.cleaned_data["amount"]
        if raw.strip() in {"0", "0,00", "0.00"}:
            return 0
        return parse_euros(raw)


class PeriodForm(forms.Form):
    start = BoundedDateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = BoundedDateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class ExportForm(PeriodForm):
    what = forms.ChoiceField(
        label=_("What"), choices=[("ledger", _("ledger")), ("balances", _("balances"))]
    )
    separator = forms.ChoiceField(
        label=_("Separator"), choices=[(";", _("semicolon ;")), (",", _("comma ,"))]
    )
    decimal = forms.ChoiceField(
        label=_("Decimal mark"), choices=[(",", _("comma (12,50)")), (".", _("point (12.50)"))]
    )
