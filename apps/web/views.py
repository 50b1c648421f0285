"""Public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.eligibility import selectors


def home(request: HttpRequest) -> HttpResponse:
    params = selectors.parameters()
    return render(
        request,
        "web/home.html",
        {"coverage_years": params.coverage_years, "parameters_version": params.version},
    )
