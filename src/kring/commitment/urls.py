from django.urls import path

from . import views

app_name = "commitment"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("team/", views.team, name="team"),
    path("charter/", views.charter, name="charter"),
    path("charter/new/", views.charter_edit, name="charter_edit"),
    path("apply/", views.apply, name="apply"),
    path("apply/sent/", views.apply_sent, name="apply_sent"),
    path("apply/verify/<str:token>/", views.verify, name="verify"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("growth/", views.growth, name="growth"),
    path("health/", views.health_view, name="health"),
    path("settings/", views.settings_view, name="settings"),
]
