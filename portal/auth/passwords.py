"""Password hashing and the password policy shared by the CLI, the account page and the admin area."""

from __future__ import annotations

from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 10
WEAK_PASSWORD_MESSAGE = f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。"


class WeakPasswordError(ValueError):
    """Raised when a new password does not meet the policy."""


def check_policy(password: str) -> None:
    """Raise WeakPasswordError unless `password` is long enough and not just spaces."""
    if len(password or "") < MIN_PASSWORD_LENGTH or not password.strip():
        raise WeakPasswordError(WEAK_PASSWORD_MESSAGE)


def hash_password(password: str) -> str:
    """Return a scrypt hash of `password` after checking the policy."""
    check_policy(password)
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check `password`; without a stored hash, spend the same time on a dummy hash and fail."""
    if not password_hash:
        check_password_hash(_dummy_hash(), password or "")
        return False
    return check_password_hash(password_hash, password or "")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Hashed once per process so unknown usernames cost the same scrypt work as real ones.
    return generate_password_hash("no-such-user-placeholder", method="scrypt")
