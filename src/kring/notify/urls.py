from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
    path("notifications/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
