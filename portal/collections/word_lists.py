"""Real Word lists for the .docx handouts: numbering definitions in numbering.xml, not typed numbers.

Word and WPS number a paragraph from its numPr (numId + ilvl). Every HTML <ol> gets its own numbering
instance (w:num), so each list starts again at 1 (or at its `start`); bullets share one instance.
Nesting is the level (ilvl), so the navigation of Word's list tools, renumbering and indents all work.
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

LEVELS = 9
# One level's indent: two Chinese characters at the body's 10.5 pt (21 pt).
INDENT_TWIPS = 420
# Word's own bullet shapes per level (•, o, ▪), cycling for deeper levels.
BULLETS = (("•", "Arial"), ("o", "Courier New"), ("▪", "Arial"))


class Numbering:
    """The handout's list definitions: one bulleted and one numbered multi-level abstract list."""

    def __init__(self, document) -> None:
        self.root = document.part.numbering_part.element
        self.bulleted = self.add_abstract(bulleted=True)
        self.numbered = self.add_abstract(bulleted=False)
        self.bullets = self.root.add_num(self.bulleted).numId

    def new_list(self, ordered: bool, start: int = 1) -> int:
        """Return the numId for a new list: a fresh, restarting instance for each numbered list."""
        if not ordered:
            return self.bullets
        num = self.root.add_num(self.numbered)
        for level in range(LEVELS):
            num.add_lvlOverride(ilvl=level).add_startOverride(start if level == 0 else 1)
        return num.numId

    def add_abstract(self, bulleted: bool) -> int:
        """Add a nine-level abstract list before the first w:num (the schema's order) and return its id."""
        ids = [int(node.get(qn("w:abstractNumId"))) for node in self.root.findall(qn("w:abstractNum"))]
        abstract_id = max(ids, default=-1) + 1
        levels = "".join(level_xml(level, bulleted) for level in range(LEVELS))
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{0x5A4E0000 + abstract_id:08X}"/><w:multiLevelType w:val="hybridMultilevel"/>'
            f"{levels}</w:abstractNum>")
        first_num = self.root.find(qn("w:num"))
        if first_num is None:
            self.root.append(abstract)
        else:
            first_num.addprevious(abstract)
        return abstract_id


def level_xml(level: int, bulleted: bool) -> str:
    """One w:lvl: decimal "1." numbers (as browsers show nested <ol>) or Word's bullet shapes."""
    indent = f'<w:pPr><w:ind w:left="{INDENT_TWIPS * (level + 1)}" w:hanging="{INDENT_TWIPS}"/></w:pPr>'
    if bulleted:
        symbol, font = BULLETS[level % len(BULLETS)]
        return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                f'<w:lvlText w:val="{symbol}"/><w:lvlJc w:val="left"/>{indent}'
                f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr></w:lvl>')
    return (f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:lvlText w:val="%{level + 1}."/><w:lvlJc w:val="left"/>{indent}</w:lvl>')


def number_paragraph(paragraph, num_id: int, level: int) -> None:
    """Make the paragraph an item of list `num_id` at nesting `level` (0 = outermost)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = min(level, LEVELS - 1)
    num_pr.get_or_add_numId().val = num_id


def indent_as_item(paragraph, level: int) -> None:
    """Indent a list item's further paragraph to line up with the item's text."""
    paragraph.paragraph_format.left_indent = Twips(INDENT_TWIPS * (min(level, LEVELS - 1) + 1))


def style_for(ordered: bool, level: int) -> str:
    """Word's built-in list paragraph style for this kind and depth (List Number, List Bullet 2 …)."""
    base = "List Number" if ordered else "List Bullet"
    return base if level == 0 else f"{base} {min(level + 1, 3)}"


def continuation_style(level: int) -> str:
    """Word's built-in style for an item's further paragraphs (List Continue, List Continue 2 …)."""
    return "List Continue" if level == 0 else f"List Continue {min(level + 1, 3)}"
