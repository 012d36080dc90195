from django.urls import path

from . import views

app_name = "push"

urlpatterns = [
    path("notifications/devices/", views.devices, name="devices"),
    path("notifications/devices/test/", views.test, name="test"),
    path("notifications/devices/<int:subscription_id>/remove/", views.remove, name="remove"),
]
