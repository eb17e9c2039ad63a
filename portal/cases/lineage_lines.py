"""The editor's one-entry-per-line text for `learned_from` and `adopted_in`, read and written back.

learned_from, one per line: a case's 网址名 (or its /cases/… address), or a place with an optional year:
    pingan-baobiao-guanlifa
    某县某镇，2018
adopted_in, one per line, parts separated by ｜ or |, the later ones optional:
    地区｜乡镇或村｜年份｜说明｜来源
"""

from __future__ import annotations

import re

from portal.cases.models import Case, Region
from portal.extensions import db
from portal.slugs import SLUG_PATTERN

YEAR_RANGE = (1949, 2100)
ADOPTION_LIMITS = {"region": 64, "place": 120, "note": 500, "source": 300}
PART_SEPARATOR = re.compile(r"\s*[|｜]\s*")
PLACE_AND_YEAR = re.compile(r"\A(?P<place>.+?)[\s,，、]*(?P<year>\d{4})\s*年?\Z")
CASE_ADDRESS = re.compile(r"\A(?:\S*/)?cases/(?P<slug>[^/?#\s]+)/?\Z")

LEARNED_HELP = ("每行一项：另一个案例的网址名（如 pingan-baobiao-guanlifa，也可粘贴案例网址），"
                "或“地点，年份”（如：某县某镇，2018；年份不详可不写）。")
ADOPTION_HELP = ("每行一处：地区｜乡镇或村｜年份｜说明｜来源，用竖线分隔，后面几项可省略"
                 "（如：遂昌县｜某某村｜2020｜全村推行｜县委文件）。只记录有据可查的推广。")


class EntryError(ValueError):
    """One or more lines could not be read; the message names each line, in Chinese."""


def lines_of(text: str | None) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate((text or "").splitlines(), 1) if line.strip()]


def raise_problems(problems: list[str]) -> None:
    if problems:
        raise EntryError("；".join(problems[:5]) + ("……" if len(problems) > 5 else ""))


def parse_learned(text: str | None, *, own_slug: str | None = None) -> list[dict]:
    """Read the learned_from lines into snapshot entries, or raise EntryError naming the bad lines."""
    entries, problems = [], []
    for number, line in lines_of(text):
        try:
            entries.append(learned_entry(line, own_slug))
        except EntryError as error:
            problems.append(f"第 {number} 行：{error}")
    raise_problems(problems)
    return entries


def learned_entry(line: str, own_slug: str | None) -> dict:
    address = CASE_ADDRESS.match(line)
    slug = address.group("slug") if address else line
    if SLUG_PATTERN.match(slug):
        if slug == own_slug:
            raise EntryError("案例不能借鉴自己")
        if db.session.scalar(db.select(Case.id).where(Case.slug == slug)) is None:
            raise EntryError(f"没有网址名为“{slug}”的案例")
        return {"case": slug}
    found = PLACE_AND_YEAR.match(line)
    place, year = (found.group("place"), int(found.group("year"))) if found else (line, None)
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise EntryError(f"年份 {year} 不合理")
    if len(place) > 120:
        raise EntryError("地点过长，最多 120 字")
    return {"place": place} if year is None else {"place": place, "year": year}


def learned_text(entries: list[dict] | None) -> str:
    """Write snapshot entries back as the form's lines."""
    return "\n".join(entry["case"] if "case" in entry else
                     "，".join(str(part) for part in (entry.get("place"), entry.get("year")) if part)
                     for entry in entries or [])


def parse_adoptions(text: str | None) -> list[dict]:
    """Read the adopted_in lines into snapshot entries, or raise EntryError naming the bad lines."""
    entries, problems = [], []
    for number, line in lines_of(text):
        try:
            entries.append(adoption_entry(line))
        except EntryError as error:
            problems.append(f"第 {number} 行：{error}")
    raise_problems(problems)
    return entries


def adoption_entry(line: str) -> dict:
    parts = PART_SEPARATOR.split(line)
    if len(parts) > 5:
        raise EntryError("最多五项：地区｜乡镇或村｜年份｜说明｜来源")
    region_name, place, year, note, source = (parts + [""] * 5)[:5]
    regions = region_named(region_name)
    if len(regions) != 1:
        raise EntryError(f"地区“{region_name}”不唯一，请改写地区代码" if regions else f"没有名为“{region_name}”的地区")
    if year and not (year.isdigit() and YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]):
        raise EntryError(f"年份“{year}”应为四位数字（如 2020），不详可留空")
    texts = {"place": place, "note": note, "source": source}
    for name, value in texts.items():
        if len(value) > ADOPTION_LIMITS[name]:
            raise EntryError(f"{ADOPTION_PART_LABELS[name]}过长，最多 {ADOPTION_LIMITS[name]} 字")
    entry = {"region": regions[0].code, "place": place, "year": int(year) if year else None, "note": note,
             "source": source}
    return {key: value for key, value in entry.items() if value not in (None, "")}


ADOPTION_PART_LABELS = {"place": "乡镇或村", "note": "说明", "source": "来源"}


def adoption_text(entries: list[dict] | None) -> str:
    """Write snapshot entries back as the form's lines (region names, trailing blanks dropped)."""
    names = dict(db.session.execute(db.select(Region.code, Region.name)).all()) if entries else {}
    shared = {name for name in names.values() if list(names.values()).count(name) > 1}
    lines = []
    for entry in entries or []:
        name = names.get(entry["region"], entry["region"])
        parts = [entry["region"] if name in shared else name, entry.get("place") or "",
                 str(entry.get("year") or ""), entry.get("note") or "", entry.get("source") or ""]
        while parts and not parts[-1]:
            parts.pop()
        lines.append("｜".join(parts))
    return "\n".join(lines)


def region_named(value: str) -> list[Region]:
    """The regions coded or named `value` (several if the name is shared)."""
    by_code = db.session.scalar(db.select(Region).where(Region.code == value))
    return [by_code] if by_code else list(db.session.scalars(db.select(Region).where(Region.name == value)))
