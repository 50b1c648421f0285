"""URLs of the notices app (see docs/adr/0003-portal.md)."""

from django.urls import path

from apps.notices import views

app_name = "notices"
urlpatterns = [
    path(
        "applications/<uuid:public_id>/notice.pdf",
        views.eligibility_notice,
        name="eligibility",
    ),
]
