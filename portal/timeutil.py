"""Time helpers: the portal stores UTC and shows Asia/Shanghai."""

from datetime import UTC, date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Treat naive datetimes (as SQLite returns them) as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def china_date(value: datetime | None) -> str:
    """Format a stored datetime as a Chinese date: 2026年11月30日."""
    value = as_utc(value)
    return f"{value.astimezone(CHINA):%Y年%-m月%-d日}" if value else ""


def china_time(value: datetime | None) -> str:
    """Format a stored datetime for Chinese readers."""
    value = as_utc(value)
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if value else ""


def china_today() -> date:
    """Today's date in China, where "overdue" and "checked today" are meant."""
    return utcnow().astimezone(CHINA).date()


def china_day_of(value: datetime) -> date:
    """The Chinese calendar day a stored moment falls on."""
    return as_utc(value).astimezone(CHINA).date()


def china_day(value: date | None) -> str:
    """Format a calendar date for Chinese readers: 2026年11月30日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
