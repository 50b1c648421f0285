"""Every URL pattern of config.urls, as concrete URLs with chosen values for its parameters.

The security tests (ownership, CSRF, CSP) walk the resolver recursively (allauth, the API, the
admin, i18n, every app) so that a page added later is covered without editing them. A pattern with
a parameter this module does not know how to fill raises :class:`UnknownParameter`: the test then
fails and says which pattern to teach it (add the parameter to ``PARAMETERS``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

#: How each parameter name is filled. "owned": the value is an id of someone's record (the
#: ownership test gives the other person's ids; the tests must refuse them); "token": a secret or
#: key in a link (sign-up confirmation, password reset) that is not about ownership; "public":
#: public reference data (plans, counties, states); "staff": admin ids (staff only).
PARAMETERS: dict[str, str] = {
    "public_id": "owned",  # applications and enrollments (uuid)
    "application_id": "owned",
    "enrollment_id": "owned",
    "member_id": "owned",
    "step": "owned",  # application steps: filled with each step of the other's application
    "object_id": "staff",
    "content_type_id": "staff",
    "app_label": "staff",
    "id": "staff",
    "url": "staff",
    "pk": "owned",
    "job_id": "staff",
    "task_id": "staff",
    "key": "token",
    "uidb36": "token",
    "plan_id": "public",
    "zipcode": "public",
    "abbrev": "public",
}


class UnknownParameter(AssertionError):
    pass


@dataclass(frozen=True)
class Pattern:
    route: str  # the full pattern, Django syntax ("apply/<uuid:public_id>/<slug:step>/")
    name: str | None
    params: tuple[str, ...]

    def __str__(self) -> str:
        return f"/{self.route} ({self.name})"


_ROUTE_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def _regex_to_route(regex: str) -> str:
    """A regex pattern ("^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$") as a route
    ("password/reset/key/<uidb36>-<key>/"); nested groups inside a named group are dropped."""
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            end = regex.index(">", i)
            name = regex[i + 4 : end]
            depth, j = 1, end + 1
            while depth:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            out.append(f"<{name}>")
            i = j
        elif regex[i] in "^$":
            i += 1
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RegexPattern):
            part = _regex_to_route(str(pattern._regex))  # type: ignore[attr-defined]
        elif isinstance(pattern, RoutePattern):
            part = str(pattern._route)  # type: ignore[attr-defined]
        else:  # pragma: no cover - LocalePrefixPattern (no i18n_patterns here)
            part = str(pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + part, entry.name


def patterns() -> list[Pattern]:
    """Every pattern of the project's URL conf (duplicates — the API's method routes — once)."""
    seen: dict[str, Pattern] = {}
    for route, name in _walk(get_resolver()):
        if route not in seen:
            params = tuple(m.group("name") for m in _ROUTE_PARAM.finditer(route))
            seen[route] = Pattern(route=route, name=name, params=params)
    return list(seen.values())


def unknown_parameters(found: Sequence[Pattern]) -> list[str]:
    return [f"{p}: {name}" for p in found for name in p.params if name not in PARAMETERS]


def urls(pattern: Pattern, values: Mapping[str, Sequence[str]]) -> list[str]:
    """The pattern with every combination of ``values`` for its parameters."""
    missing = [name for name in pattern.params if name not in values]
    if missing:
        raise UnknownParameter(f"No value for {missing} in {pattern}: add them to urlwalk.py")
    choices = [list(values[name]) for name in pattern.params]
    out = []
    for combination in itertools.product(*choices):
        parts = _ROUTE_PARAM.split(pattern.route)  # text, conv, name, text, conv, name, ...
        texts = parts[::3]
        out.append(
            "/" + "".join(t + v for t, v in zip(texts, [*map(str, combination), ""], strict=False))
        )
    return out


def kinds(pattern: Pattern) -> set[str]:
    return {PARAMETERS.get(name, "unknown") for name in pattern.params}
