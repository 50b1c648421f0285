"""RFC 9457 problem details for every API error."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

PROBLEM_TYPE = "about:blank"


def problem(
    request: HttpRequest,
    status: int,
    title: str,
    detail: str,
    field: str | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if field is not None:
        body["field"] = field
    body.update(extra)
    return JsonResponse(body, status=status, content_type="application/problem+json")


class ApiProblem(Exception):
    """An error to answer with a problem document naming the field."""

    def __init__(
        self, status: int, field: str | None, detail: str, title: str = "Request failed"
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.field = field
        self.detail = detail
        self.title = title
