"""Helpers for tests that a cached public page turns over (or not) on every instance of one database."""

from __future__ import annotations

from portal import create_app


def second_instance(database_url: str, tmp_path):
    """Another app on the same database with its own instance dir (its own page cache and index)."""
    return create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "INSTANCE_DIR": str(tmp_path / "second-instance")})


def cached(instances, path: str) -> list[str]:
    """Fetch the page on every instance until it is served from its page cache; return the ETags."""
    etags = [client.get(path).headers["ETag"] for client in instances]
    for client, etag in zip(instances, etags, strict=True):
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    return etags


def still_cached(instances, etags: list[str], path: str) -> None:
    """Assert every instance still answers the old ETag with 304."""
    assert [client.get(path, headers={"If-None-Match": etag}).status_code
            for client, etag in zip(instances, etags, strict=True)] == [304] * len(instances)


def turned_over(instances, etags: list[str], path: str) -> list[str]:
    """Assert every instance answers the old ETag with a new page; return the pages' text."""
    pages = [client.get(path, headers={"If-None-Match": etag}) for client, etag in zip(instances, etags, strict=True)]
    assert [page.status_code for page in pages] == [200] * len(instances)
    assert all(page.headers["ETag"] not in etags for page in pages)
    return [page.get_data(as_text=True) for page in pages]
