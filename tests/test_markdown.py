"""portal.markdown: tables, footnotes, Chinese heading anchors, and sanitising of hostile input."""

from __future__ import annotations

from portal.markdown import render_markdown


def test_tables_are_rendered():
    html = render_markdown("| 要点 | 问题 |\n| --- | --- |\n| 范围 | 哪些事项 |\n").html
    assert "<table>" in html and "<th>要点</th>" in html and "<td>哪些事项</td>" in html


def test_footnotes_link_both_ways():
    html = render_markdown("正文引用[^1]。\n\n[^1]: 出自工作汇报。\n").html
    assert 'href="#user-content-fn:1"' in html and 'id="user-content-fn:1"' in html
    assert "出自工作汇报。" in html


def test_chinese_headings_get_chinese_anchors_that_the_toc_links_to():
    rendered = render_markdown("## 背景\n\n文字。\n\n## 做法与成效\n\n### 第一步：摸底\n\n文字。\n")
    assert '<h2 id="user-content-背景">背景</h2>' in rendered.html
    assert '<h2 id="user-content-做法与成效">' in rendered.html
    assert 'href="#user-content-做法与成效"' in rendered.toc_html
    assert 'href="#user-content-第一步摸底"' in rendered.toc_html and 'id="user-content-第一步摸底"' in rendered.html
    assert [h["id"] for h in rendered.headings] == ["user-content-背景", "user-content-做法与成效",
                                                    "user-content-第一步摸底"]


def test_repeated_headings_get_distinct_anchors():
    html = render_markdown("## 经验\n\n一。\n\n## 经验\n\n二。\n").html
    assert 'id="user-content-经验"' in html and 'id="user-content-经验_1"' in html


def test_script_tags_are_removed():
    html = render_markdown("正文<script>alert('x')</script>\n\n<script src=\"https://evil.example/x.js\"></script>\n").html
    assert "<script" not in html and "evil.example" not in html


def test_event_handler_attributes_are_removed():
    html = render_markdown('<img src="/uploads/a.png" onerror="alert(1)">\n\n<p onclick="x()">段落</p>\n').html
    assert "onerror" not in html and "onclick" not in html
    assert '<img src="/uploads/a.png">' in html


def test_javascript_and_data_links_are_removed():
    html = render_markdown("[点我](javascript:alert(1)) [图](data:text/html;base64,PHNjcmlwdD4=) "
                           '<a href="JaVaScRiPt:alert(2)">大写</a>\n').html
    assert "javascript" not in html.lower() and "data:" not in html
    assert "点我" in html and "大写" in html


def test_safe_links_keep_their_href_and_get_rel():
    html = render_markdown("[丽水](https://www.lishui.gov.cn/) [上文](#背景)\n").html
    assert 'href="https://www.lishui.gov.cn/"' in html and 'href="#user-content-背景"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_style_attributes_and_iframes_are_dropped():
    html = render_markdown('<p style="color:red">红字</p>\n\n<iframe src="https://x.example"></iframe>\n').html
    assert "style=" not in html and "<iframe" not in html and "红字" in html


def test_empty_text_renders_nothing():
    rendered = render_markdown("")
    assert (rendered.html, rendered.toc_html, rendered.headings) == ("", "", [])


def test_user_ids_are_prefixed_so_they_cannot_clobber_the_page():
    html = render_markdown('<a id="present-next" name="present-next" href="https://evil.example/">下一页</a>\n').html
    assert 'id="user-content-present-next"' in html
    assert 'id="present-next"' not in html and "name=" not in html


def test_prefixing_is_not_repeated_when_html_is_sanitized_again():
    once = render_markdown("## 背景\n").html
    assert render_markdown(once).html.count("user-content-") == 1


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    """Each thread reuses one converter (reset between texts): footnotes, heading ids and the table of
    contents of one text never leak into the next, and a text renders the same every time."""
    import markdown

    from portal.markdown import _new_converter

    first = "## 背景\n\n正文[^1]。\n\n## 做法\n\n## 做法\n\n[^1]: 脚注一。"
    second = "## 成效\n\n没有脚注。"
    renders = [render_markdown(text) for text in (first, second, first, second)]
    assert renders[0] == renders[2] and renders[1] == renders[3]
    assert "脚注一" not in renders[1].html and "做法" not in renders[1].toc_html
    assert [heading["name"] for heading in renders[1].headings] == ["成效"]
    fresh = _new_converter()
    assert renders[0].html == render_html_with(fresh, first) and isinstance(fresh, markdown.Markdown)


def render_html_with(converter, text: str) -> str:
    from portal.markdown import sanitize_html

    return sanitize_html(converter.convert(text))
