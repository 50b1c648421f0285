"""Under /api/, every error is an RFC 9457 problem document, including the ones Django or
django-ninja answer themselves (404 for an unknown path, 405 for a wrong method)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.api.problems import problem

TITLES = {404: "Not found", 405: "Method not allowed", 400: "Bad request"}


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
