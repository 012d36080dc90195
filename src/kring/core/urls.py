from django.urls import path

from . import installable, views

app_name = "core"
urlpatterns = [
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("theme/", views.set_theme, name="theme"),
    path("design/", views.design, name="design"),
    path("manifest.webmanifest", installable.manifest, name="manifest"),
    path("sw.js", installable.service_worker, name="service_worker"),
    path("offline/<str:language>/", installable.offline, name="offline"),
]
