"""Small helpers that keep views thin: domain errors into forms and messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError


def form_error(form: forms.BaseForm, error: DomainError) -> None:
    """Attach a domain error to the form field it names (or to the form)."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error))


def message_error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error))


class use_case:
    """Run one use-case in a view; a ``DomainError`` it raises becomes feedback, not a 500.

    ::

        with use_case(request, form=form, success=_("Saved.")) as done:
            services.do_thing(actor=request.user, ...)
        if done:
            return redirect(...)

    On a ``DomainError`` the block stops there and the error goes onto ``form`` (on the field it
    names, else the whole form) or, without a form, into the page's messages. Without an
    error, ``success`` (if given) is added to the messages. ``done`` is true when the use-case
    ran without a domain error; any other exception propagates.
    """

    def __init__(
        self,
        request: HttpRequest,
        *,
        form: forms.BaseForm | None = None,
        success: object = "",
    ) -> None:
        self.request = request
        self.form = form
        self.success = success
        self.ok = False
        self.error: DomainError | None = None

    def __enter__(self) -> use_case:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if exc is None:
            self.ok = True
            if self.success:
                messages.success(self.request, str(self.success))
            return False
        if not isinstance(exc, DomainError):
            return False
        self.error = exc
        if self.form is not None:
            form_error(self.form, exc)
        else:
            message_error(self.request, exc)
        return True

    def __bool__(self) -> bool:
        return self.ok
