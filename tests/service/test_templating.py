"""The pages' template environments (``service.pages.templating``): a template's fixed
words are compiled in, each language's; everything else renders as Jinja renders it."""

from string import Formatter

import pytest
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, pass_context
from jinja2.runtime import Context

from service.pages import messages, templating

LANGS = ("zh-CN", "en")


def _source(lang: str, text: str) -> str:
    return templating.environment(lang).compile(text, raw=True)


@pytest.mark.parametrize("lang", LANGS)
def test_a_fixed_word_is_compiled_in_with_no_call(lang):
    words = messages.text_for(lang)("q_total")
    source = _source(lang, '<p>{{ t("q_total") }}{{ punct("：") }}</p>')
    assert "context.call" not in source
    assert f"<p>{words}{messages.punct('：', lang)}</p>" in source
    page = templating.environment(lang).from_string('<p>{{ t("q_total") }}</p>').render()
    assert page == f"<p>{words}</p>"


@pytest.mark.parametrize("lang", LANGS)
def test_words_with_values_or_a_built_key_are_looked_up_when_rendered(lang):
    env = templating.environment(lang)
    t = messages.text_for(lang)
    assert "context.call" in _source(lang, '{{ t("manage_booking", ref=r) }}')
    assert "context.call" in _source(lang, '{{ t("status_" ~ s) }}')
    page = env.from_string('{{ t("manage_booking", ref=r) }}|{{ t("status_" ~ s) }}')
    assert page.render(r="JL-ABC123", s="confirmed") == (
        f"{t('manage_booking', ref='JL-ABC123')}|{t('status_confirmed')}"
    )


def test_only_the_name_called_with_one_literal_is_fixed():
    # an attribute named t, a variable named t, a second argument: left to the render
    for text in ('{{ x.t("q_total") }}', "{{ t }}", '{{ t("q_total", "x") }}'):
        assert messages.TEXT["q_total"][1] not in _source("en", text), text


def test_fixed_words_are_escaped_as_the_rendered_ones_were():
    messages.TEXT["_test_markup"] = ("<b>&", "<b>&")
    try:
        page = templating.environment("en").from_string('{{ t("_test_markup") }}')
        assert page.render() == "&lt;b&gt;&amp;"
    finally:
        del messages.TEXT["_test_markup"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_key_is_an_error_when_the_template_is_compiled(lang):
    with pytest.raises(TemplateSyntaxError, match="no_such_key"):
        _source(lang, '{% if false %}{{ t("no_such_key") }}{% endif %}')


@pytest.mark.parametrize("lang", LANGS)
def test_every_template_compiles_in_every_language(lang):
    env = templating.environment(lang)
    names = sorted(
        p.relative_to(templating.TEMPLATES).as_posix() for p in templating.TEMPLATES.rglob("*.html")
    )
    assert "manage.html" in names and "console/base.html" in names
    for name in names:
        env.get_template(name)


def test_the_languages_globals_reach_a_macro_imported_without_context():
    env = templating.environment("en")
    page = env.from_string('{% from "macros.html" import leg_stops %}{{ leg_stops(leg) }}')
    leg = {"from_destination": {"name": "Yanji"}, "to_destination": {"name": "Erdaobaihe"}}
    assert page.render(leg=leg) == messages.text_for("en")(
        "leg_stops", start="Yanji", end="Erdaobaihe"
    )


@pytest.mark.parametrize(
    "obj,name",
    [
        ({"kind": "pack"}, "kind"),
        ({"items": [1]}, "items"),  # dict's own method, as Jinja answers
        ({"get": 1}, "get"),
        ({}, "missing"),
        ({"a": 1}, "__class__"),
        ([1, 2], "kind"),
    ],
)
def test_reading_a_dict_key_as_an_attribute_answers_as_jinja_does(obj, name):
    ours = templating.environment("en").getattr(obj, name)
    jinjas = Environment(undefined=StrictUndefined).getattr(obj, name)
    if isinstance(jinjas, StrictUndefined):
        assert isinstance(ours, StrictUndefined)
    else:
        assert ours == jinjas


def test_a_page_calls_a_function_or_macro_straight_and_passes_the_context_where_asked():
    """``PageContext.call``: a plain function and a macro are called with their
    arguments alone; a function marked ``pass_context`` still gets the context (with a
    loop's variables in it), as with Jinja's own ``Context``: the same page."""

    @pass_context
    def seen(context, name):
        return context.get(name)

    source = (
        "{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
        "{{ twice(t('q_total')) }}|{{ date(day) }}|"
        "{% for i in [7] %}{% set j = i * 2 %}{{ seen('j') }}{% endfor %}|{{ seen('day') }}"
    )
    env = templating.environment("en")
    page = env.from_string(source)
    assert type(page.new_context({})) is templating.PageContext
    words = messages.text_for("en")("q_total")
    ours = page.render(day="2027-07-04", seen=seen)
    assert ours == f"{words}{words}|Sun 04 Jul 2027|14|2027-07-04"
    plain = templating.environment.__wrapped__("en")
    plain.context_class = Context
    assert plain.from_string(source).render(day="2027-07-04", seen=seen) == ours


def test_counted_words_are_filled_as_string_formatter_fills_them():
    """``messages.fill`` parses a text once; the same words as ``_Plurals().format``
    for every page text with a field, in both languages, for 1, 3, "1,000" and text."""
    formatter = messages._Plurals()
    texts = [s for pair in messages.TEXT.values() for s in pair if "{" in s]
    texts += ["{0} and {a!r}", "{n:>5} {n:,}", "{{literal}} {n:night|nights}"]
    for text in texts:
        names = {n for _, n, _, _ in Formatter().parse(text) if n}
        for value in (1, 3, "1,000", "<b>"):
            values = {"a": value} | {n: value for n in names if n.isidentifier()}
            try:
                expected = formatter.format(text, **values)
            except (ValueError, IndexError, KeyError) as exc:
                expected = type(exc)
            try:
                got = messages.fill(text, **values)
            except (ValueError, IndexError, KeyError) as exc:
                got = type(exc)
            assert got == expected, (text, value)
