from django.conf import settings
from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_page, name="page"),
    path("privacy/me/", views.my_data, name="my_data"),
    path("privacy/export/", views.request_export, name="export"),
    path("privacy/export/<str:token>/", views.download, name="download"),
    path("privacy/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("privacy/delete/", views.delete_account, name="delete"),
]

if settings.KRING_BENCHMARK_PAGE:  # the load benchmark's ceiling (benchmarks/load.py)
    urlpatterns.append(path("benchmark/bare/", views.benchmark_bare, name="benchmark_bare"))
