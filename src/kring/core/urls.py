from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("theme/", views.set_theme, name="theme"),
    path("design/", views.design, name="design"),
]
