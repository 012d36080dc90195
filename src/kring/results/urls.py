from django.urls import path

from . import views
from .requests import public_views
from .requests import views as vr

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("objectives/new/", views.objective_new, name="objective_new"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("contributions/", views.my_contributions, name="contributions"),
    path(
        "contributions/<int:pk>/correct/", views.contribution_correct, name="contribution_correct"
    ),
    path(
        "contributions/<int:pk>/confirm/", views.contribution_confirm, name="contribution_confirm"
    ),
    path("requests/", vr.request_list, name="requests"),
    path("requests/<int:pk>/", vr.request_detail, name="request_detail"),
    path("requests/<int:pk>/triage/", vr.request_triage, name="request_triage"),
    path("requests/<int:pk>/volunteer/", vr.request_volunteer, name="request_volunteer"),
    path("requests/<int:pk>/ask/", vr.request_ask, name="request_ask"),
    path("requests/<int:pk>/answer/", vr.request_answer, name="request_answer"),
    path("requests/<int:pk>/status/", vr.request_status, name="request_set_status"),
    path("requests/<int:pk>/contribute/", vr.request_contribute, name="request_contribute"),
    path("intentions/", views.intentions, name="intentions"),
    path("referrals/", views.referrals, name="referrals"),
    path("referrals/<int:pk>/", views.referral_update, name="referral_update"),
    path("export/contributions.csv", views.export_contributions, name="export_contributions"),
    path("export/requests.csv", views.export_requests, name="export_requests"),
    path("ask/", public_views.ask, name="ask"),
    path("ask/sent/", public_views.ask_sent, name="ask_sent"),
    path("status/<str:token>/", public_views.request_status, name="request_status"),
]
