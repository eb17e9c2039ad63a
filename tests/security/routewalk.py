"""Walk the URL map: find every role-guarded rule, build a URL for it, and probe it as each kind of user."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from werkzeug.routing import Rule
from werkzeug.routing.converters import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UUIDConverter,
)

from portal.auth.models import ROLE_RANK, ROLES

# Everything under these prefixes edits or administers content and must carry role_required.
GUARDED_PREFIXES = ("/editor", "/admin")
PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Values that point at no real row, so a permitted user gets at most a 404 and nothing changes.
FALLBACK_VALUES = ("no-such-thing", "1", "x", "2024-01-01", "no-such/thing")


@dataclass(frozen=True)
class Guarded:
    rule: Rule
    role: str

    @property
    def lower_roles(self) -> tuple[str, ...]:
        return tuple(role for role in ROLES if ROLE_RANK[role] < ROLE_RANK[self.role])

    @property
    def methods(self) -> list[str]:
        return [method for method in PROBED_METHODS if method in self.rule.methods]


def is_static(rule: Rule) -> bool:
    return rule.endpoint == "static" or rule.endpoint.endswith(".static")


def under_guarded_prefix(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in GUARDED_PREFIXES)


def required_role(app, rule: Rule) -> str | None:
    return getattr(app.view_functions[rule.endpoint], "required_role", None)


def unguarded_rules(app) -> list[str]:
    """Return the /editor and /admin rules whose view is not wrapped in role_required."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if under_guarded_prefix(rule.rule) and not is_static(rule) and not required_role(app, rule))


def guarded_rules(app) -> list[Guarded]:
    """Return every rule whose view declares a required role."""
    return [Guarded(rule, required_role(app, rule)) for rule in app.url_map.iter_rules()
            if required_role(app, rule)]


def sample_url(app, rule: Rule, method: str) -> str:
    """Build a URL that routes to `rule`, filling each argument with a value no real row has."""
    adapter = app.url_map.bind("localhost")
    values = {name: value_for(rule._converters[name]) for name in rule.arguments}
    url = adapter.build(rule.endpoint, values, method=method)
    if routes_to(adapter, url, method, rule):
        return url
    for fallback in FALLBACK_VALUES:
        url = adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, fallback), method=method)
        if routes_to(adapter, url, method, rule):
            return url
    raise AssertionError(f"could not build a URL for {rule.rule}; teach routewalk.value_for its converter")


def value_for(converter):
    if isinstance(converter, IntegerConverter):
        return 987654
    if isinstance(converter, FloatConverter):
        return 9876.5
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-4000-8000-000000000000"
    if isinstance(converter, AnyConverter):
        return converter.items[0] if hasattr(converter, "items") else "x"
    if isinstance(converter, PathConverter):
        return "no-such/thing"
    return "no-such-thing"


def routes_to(adapter, url: str, method: str, rule: Rule) -> bool:
    try:
        matched, _ = adapter.match(urlsplit(url).path, method=method, return_rule=True)
    except Exception:  # noqa: BLE001 - any routing failure just means "try another value"
        return False
    return matched is rule


def send(client, method: str, url: str, token: str | None):
    """Send `method` to `url`; non-GET requests carry a valid CSRF token so the role check is what answers."""
    if method == "GET":
        return client.get(url)
    headers = {"X-CSRFToken": token} if token else {}
    return client.open(url, method=method, data={"csrf_token": token or ""}, headers=headers)


def sent_to_login(response) -> bool:
    return response.status_code in (301, 302, 303) and urlsplit(response.headers["Location"]).path == "/login"


def probe(app, guarded: Guarded, clients: dict) -> list[str]:
    """Return what went wrong for one rule: clients maps "anonymous" and each role to (client, csrf token)."""
    problems = []
    for method in guarded.methods:
        url = sample_url(app, guarded.rule, method)
        problems += check(clients, "anonymous", method, url, lambda r: sent_to_login(r) or r.status_code == 401,
                          "must redirect to /login or answer 401")
        for role in guarded.lower_roles:
            problems += check(clients, role, method, url, lambda r: r.status_code == 403, "must answer 403")
        problems += check(clients, guarded.role, method, url,
                          lambda r: r.status_code not in (401, 403) and not sent_to_login(r),
                          f"must let a {guarded.role} through")
    return problems


def check(clients: dict, who: str, method: str, url: str, accept, expectation: str) -> list[str]:
    client, token = clients[who]
    try:
        response = send(client, method, url, token)
    except Exception as error:  # noqa: BLE001 - report the crash next to the route that caused it
        return [f"{method} {url} as {who}: raised {error!r}"]
    if accept(response):
        return []
    return [f"{method} {url} as {who}: {expectation}, got {response.status_code}"]
