from django.urls import path

from . import views

app_name = "introductions"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:intro_id>/propose/", views.propose, name="propose"),
    path("<int:intro_id>/outcome/", views.outcome, name="outcome"),
    path("preferences/", views.preferences, name="preferences"),
    path("people/<str:action>/", views.person_action, name="person_action"),
    path("acquaintance/", views.acquaintance, name="acquaintance"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/schedule/", views.schedule, name="schedule"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/<str:action>/", views.round_action, name="round_action"),
    path("tables/<int:round_id>/<str:mode>/", views.tables_view, name="tables"),
]
