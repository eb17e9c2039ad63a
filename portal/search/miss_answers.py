"""Editors mark a missed query as answered: by a case that now covers it, or by a new synonym."""

from __future__ import annotations

from sqlalchemy import select

from portal import audit
from portal.audit.labels import describe
from portal.auth.models import User
from portal.cases.models import Case
from portal.extensions import db
from portal.search.models import SearchMissAnswer
from portal.search.synonym_groups import (
    GroupSpec,
    all_groups,
    clash_problems,
    find_group,
    group_problems,
    write_group,
)
from portal.timeutil import utcnow

describe(actions={"search_miss.answer": "标记读者搜索为已解答", "search_miss.reopen": "读者搜索放回待处理"},
         details={"case": "案例", "synonym": "同义词组"})


class AnswerError(ValueError):
    """Why a miss cannot be answered that way (in Chinese, for the form)."""


def find_case(text: str) -> Case:
    """Return the published case whose 网址名 or full title is `text`."""
    text = (text or "").strip()
    case = db.session.scalar(select(Case).where((Case.slug == text) | (Case.title == text),
                                                Case.status == "published").limit(1))
    if case is None:
        raise AnswerError(f"没有找到已发布的案例“{text[:60]}”：请填写案例的网址名或完整标题")
    return case


def answer_with_case(normalized: str, case_text: str, user: User) -> SearchMissAnswer:
    """Mark the query answered by a published case."""
    case = find_case(case_text)
    answer = save_answer(normalized, user, case_id=case.id, synonym_term=None)
    audit.record(user, "search_miss.answer", normalized, case=case.slug)
    db.session.commit()
    return answer


def answer_with_synonym(normalized: str, term: str, user: User) -> SearchMissAnswer:
    """Add the query as a synonym of `term` (creating the group if needed) and mark it answered."""
    term = (term or "").strip()
    group = find_group(term)
    # Spaces between Chinese words are not in the text; a synonym is matched as the words it holds.
    variant = normalized.replace(" ", "") if not normalized.isascii() else normalized
    spec = GroupSpec(group.term if group else term, [*(group.variants if group else []), variant])
    problems = group_problems(spec) or clash_problems([spec], [g for g in all_groups() if g is not group]).get(0, [])
    if problems:
        raise AnswerError("；".join(problems))
    saved, _ = write_group(spec, group)
    audit.record(user, "synonym.update" if group else "synonym.create", saved.term, variants=list(spec.variants))
    answer = save_answer(normalized, user, case_id=None, synonym_term=saved.term)
    audit.record(user, "search_miss.answer", normalized, synonym=saved.term)
    db.session.commit()
    return answer


def save_answer(normalized: str, user: User, **fields) -> SearchMissAnswer:
    answer = db.session.scalar(select(SearchMissAnswer).where(SearchMissAnswer.normalized == normalized))
    if answer is None:
        answer = SearchMissAnswer(normalized=normalized)
        db.session.add(answer)
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.answered_by_id = user.id
    answer.answered_at = utcnow()
    return answer


def reopen(normalized: str, user: User) -> None:
    """Put an answered query back on the open list."""
    answer = db.session.scalar(select(SearchMissAnswer).where(SearchMissAnswer.normalized == normalized))
    if answer is not None:
        db.session.delete(answer)
        audit.record(user, "search_miss.reopen", normalized)
        db.session.commit()
