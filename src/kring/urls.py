from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kring.api.api import api
from kring.app_registry import APPS

handler400 = "kring.core.views.error_400"
handler403 = "kring.core.views.error_403"
handler404 = "kring.core.views.error_404"
handler500 = "kring.core.views.error_500"

# Every app's URL modules, in the order of kring/app_registry.py: network pages under
# /n/<slug>/<prefix>, the rest at the root.
network_patterns = [
    path(app.network_prefix, include(f"{app.module}.{app.network_urls}"))
    for app in APPS
    if app.network_urls
]

urlpatterns = [
    *(path("", include(f"{app.module}.{app.urls}")) for app in APPS if app.urls),
    path("n/<slug:slug>/", include(network_patterns)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Uploaded files have no public URL: every file is served by a view that checks permission
# (kring.core.files.serve_file). There is deliberately no /media/ route.
