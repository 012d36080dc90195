from django.urls import path

from . import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("import/", views.upload, name="upload"),
    path("import/<int:import_id>/", views.preview, name="preview"),
    path("<int:contact_id>/invite/", views.invite, name="invite"),
]
