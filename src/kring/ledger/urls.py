from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("expenses/new/", views.expense_new, name="expense_new"),
    path("expenses/<int:expense_id>/", views.expense_detail, name="expense"),
    path("expenses/<int:expense_id>/reverse/", views.expense_reverse, name="expense_reverse"),
    path("expenses/<int:expense_id>/receipt/", views.receipt, name="receipt"),
    path("transfers/new/", views.transfer_new, name="transfer_new"),
    path("transfers/<int:transfer_id>/decide/", views.transfer_decide, name="transfer_decide"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("bank/", views.bank, name="bank"),
    path("pot/", views.pot, name="pot"),
    path("pot/<int:request_id>/decide/", views.pot_decide, name="pot_decide"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/contribution/", views.contribution, name="contribution"),
    path("settings/", views.settings_view, name="settings"),
    path("export.csv", views.export, name="export"),
]
