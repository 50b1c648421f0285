"""Under /api/, every error is an RFC 9457 problem document, including the ones Django or
django-ninja answer themselves (404 for an unknown path, 405 for a wrong method).

A NUL character in a query parameter or the body is refused with a 400 before any view runs:
PostgreSQL cannot store or compare text containing NUL and would fail the query with a 500
(Django's forms refuse NUL for the same reason; django-ninja does not)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from apps.api.problems import problem

TITLES = {404: "Not found", 405: "Method not allowed", 400: "Bad request"}


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _has_nul(request):
            return problem(
                request,
                400,
                "Bad request",
                f"{request.method} {request.path}: text must not contain NUL (0x00) characters",
            )
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/problem+json")
        ):
            status = response.status_code
            detail = (
                f"{request.method} {request.path}: {TITLES.get(status, 'request failed').lower()}"
            )
            if status == 405:
                detail += f" (allowed: {response.get('Allow', '')})"
            replacement = problem(request, status, TITLES.get(status, "Request failed"), detail)
            if response.get("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


def _has_nul(request: HttpRequest) -> bool:
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.method in ("POST", "PUT", "PATCH"):
        try:
            body = request.body
        except RequestDataTooBig:
            return False  # the view refuses it with its own 400
        return b"\x00" in body or b"\\u0000" in body
    return False
