"""URLs of the notices app (see docs/adr/0003-portal.md)."""

from django.urls import URLPattern

app_name = "notices"
urlpatterns: list[URLPattern] = []
