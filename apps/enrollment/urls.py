"""URLs of the enrollment app (see docs/adr/0003-portal.md)."""

from django.urls import URLPattern

app_name = "enrollment"
urlpatterns: list[URLPattern] = []
