"""Freshness: when a published case was last checked (最近核实) and when it is due to be checked again.

A case's last check is its `checked_on`, or failing that the day it was published. It is due on its
own `review_by`, or failing that REVIEW_INTERVAL_MONTHS (portal/config.py) after the last check.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from portal.cases.models import Case
from portal.cases.queries import PUBLISHED
from portal.extensions import db
from portal.timeutil import china_day_of, china_today


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def interval_months() -> int:
    return current_app.config["REVIEW_INTERVAL_MONTHS"]


def last_checked(case: Case) -> date | None:
    """最近核实: the recorded check, or the publishing day; None for a case never published."""
    if case.checked_on:
        return case.checked_on
    return china_day_of(case.published_at) if case.published_at else None


def review_due(case: Case) -> date | None:
    """The day the case should be checked again by."""
    if case.review_by:
        return case.review_by
    checked = last_checked(case)
    return add_months(checked, interval_months()) if checked else None


@dataclass(frozen=True)
class Due:
    """A published case with its last check and the day it is due."""

    case: Case
    checked: date
    due: date

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days


def due_cases(*, within_days: int = 0, today: date | None = None) -> list[Due]:
    """Published cases due on or before `today + within_days` (0: overdue or due today), soonest first."""
    today = today or china_today()
    found = []
    for case in db.session.scalars(select(Case).where(Case.status == PUBLISHED)):
        due = review_due(case)
        if due is not None and (due - today).days <= within_days:
            found.append(Due(case, last_checked(case), due))
    return sorted(found, key=lambda item: (item.due, item.case.slug))


def overdue(today: date | None = None) -> list[Due]:
    """Published cases whose review day has passed."""
    today = today or china_today()
    return [item for item in due_cases(today=today) if item.due < today]
