"""URLs of the accounts app (see docs/adr/0003-portal.md)."""

from django.urls import URLPattern

app_name = "accounts"
urlpatterns: list[URLPattern] = []
