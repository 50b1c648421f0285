"""URLs of the applications app (see docs/adr/0003-portal.md)."""

from django.urls import URLPattern

app_name = "applications"
urlpatterns: list[URLPattern] = []
