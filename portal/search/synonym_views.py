"""/editor/synonyms: editors list, add, change and delete synonym groups; every change is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import audit
from portal.audit.labels import describe
from portal.auth.decorators import role_required
from portal.extensions import db
from portal.search.forms import DeleteForm, SynonymGroupForm, split_variants
from portal.search.models import SynonymGroup
from portal.search.synonym_groups import (
    GroupSpec,
    all_groups,
    clash_problems,
    cleaned,
    group_problems,
    write_group,
)
from portal.search.views import misses_bp as bp

PREFIX = "/editor/synonyms"
describe(actions={"synonym.create": "新增同义词组", "synonym.update": "修改同义词组", "synonym.delete": "删除同义词组"},
         details={"variants": "同义词"})


@bp.route(PREFIX, methods=["GET", "POST"])
@role_required("editor")
def synonyms():
    """List the groups and add a new one."""
    form = SynonymGroupForm()
    if form.validate_on_submit() and save(form, None):
        return redirect(url_for("search_misses.synonyms"))
    return render_template("search/synonyms.html", groups=all_groups(), form=form,
                           delete_form=DeleteForm()), 400 if form.errors else 200


@bp.route(f"{PREFIX}/<int:group_id>", methods=["GET", "POST"])
@role_required("editor")
def synonym_edit(group_id: int):
    """Change one group's terms."""
    group = group_or_404(group_id)
    shown = {"term": group.term, "variants": "\n".join(group.variants)}
    form = SynonymGroupForm(data=shown) if request.method == "GET" else SynonymGroupForm()
    if form.validate_on_submit() and save(form, group):
        return redirect(url_for("search_misses.synonyms"))
    return render_template("search/synonym_edit.html", group=group, form=form), 400 if form.errors else 200


@bp.post(f"{PREFIX}/<int:group_id>/delete")
@role_required("editor")
def synonym_delete(group_id: int):
    """Delete a group; searches stop using it at once."""
    group = group_or_404(group_id)
    if not DeleteForm().validate_on_submit():
        abort(400, "表单已过期，请刷新页面后重试。")
    audit.record(current_user, "synonym.delete", group.term, variants=list(group.variants))
    db.session.delete(group)
    db.session.commit()
    flash(f"已删除同义词组“{group.term}”。", "success")
    return redirect(url_for("search_misses.synonyms"))


def group_or_404(group_id: int) -> SynonymGroup:
    group = db.session.get(SynonymGroup, group_id)
    if group is None:
        abort(404, "没有这个同义词组。")
    return group


def save(form: SynonymGroupForm, group: SynonymGroup | None) -> bool:
    """Validate the group against the rules and the other groups, then write and audit it."""
    spec = GroupSpec(form.term.data or "", split_variants(form.variants.data))
    problems = group_problems(spec)
    others = [other for other in all_groups() if other is not group]
    problems += [] if problems else clash_problems([cleaned(spec)], others).get(0, [])
    if problems:
        form.variants.errors = list(form.variants.errors) + problems
        return False
    spec = cleaned(spec)
    before = {"term": group.term, "variants": list(group.variants)} if group else None
    saved, changed = write_group(spec, group)
    if changed:
        audit.record(current_user, "synonym.update" if group else "synonym.create", spec.term,
              variants=spec.variants, **({"before": before} if before else {}))
        db.session.commit()
    flash(f"同义词组“{saved.term}”已保存，下一次搜索即生效。" if changed else "没有改动。", "success")
    return True
