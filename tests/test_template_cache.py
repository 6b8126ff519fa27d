"""Compiled templates kept between builds (sitebuild/templatecache.py) are never served for a
source they were not compiled from: a changed template, page or compile-time setting is recompiled."""

import importlib.util
import shutil
import sys

import jinja2
import pytest

from sitebuild import templatecache


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(templatecache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _theme_env(folder) -> jinja2.Environment:
    """A fresh environment, as each `mkdocs build` process makes one."""
    return templatecache.install(jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder))))


def _no_compiling(env, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("compiled although the cache holds this source")

    monkeypatch.setattr(env, "compile", refuse)


def test_an_unchanged_template_is_not_compiled_again(tmp_path, monkeypatch, cache_in_tmp):
    (tmp_path / "page.html").write_text("<p>{{ 6 * 7 }}</p>")
    assert _theme_env(tmp_path).get_template("page.html").render() == "<p>42</p>"
    assert any(cache_in_tmp.rglob("*.cache"))
    second = _theme_env(tmp_path)
    _no_compiling(second, monkeypatch)
    assert second.get_template("page.html").render() == "<p>42</p>"


def test_a_changed_template_is_compiled_again(tmp_path):
    (tmp_path / "page.html").write_text("<p>{{ 'one' }}</p>")
    assert _theme_env(tmp_path).get_template("page.html").render() == "<p>one</p>"
    (tmp_path / "page.html").write_text("<p>{{ 'two' }}</p>")  # same length, same name
    assert _theme_env(tmp_path).get_template("page.html").render() == "<p>two</p>"


def _pages_env(page: list[str]) -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["double"] = lambda x: 2 * x
    return templatecache.install_for_strings(env, lambda: page[0])


def test_a_page_rendered_from_a_string_is_cached_by_its_source(monkeypatch):
    page = ["mechanics.md"]
    assert _pages_env(page).from_string("x = {{ double(21) }}").render() == "x = 42"
    again = _pages_env(page)
    _no_compiling(again, monkeypatch)
    assert again.from_string("x = {{ double(21) }}").render() == "x = 42"
    assert again.from_string("x = {{ double(21) }}", globals={"double": lambda x: x}).render() == "x = 21"


def test_an_edited_page_is_compiled_again():
    page = ["mechanics.md"]
    assert _pages_env(page).from_string("{{ double(1) }} one").render() == "2 one"
    assert _pages_env(page).from_string("{{ double(2) }} two").render() == "4 two"
    page[0] = "faq.md"  # another page with the first page's old source still renders its own source
    assert _pages_env(page).from_string("{{ double(1) }} one").render() == "2 one"


def test_an_error_in_a_page_still_surfaces():
    with pytest.raises(jinja2.TemplateSyntaxError):
        _pages_env(["broken.md"]).from_string("{{ double(1 }}")
    with pytest.raises(jinja2.UndefinedError):
        _pages_env(["undefined.md"]).from_string("{{ missing }}").render()


def test_the_key_is_the_same_for_two_environments_configured_alike():
    assert templatecache.environment_key(jinja2.Environment()) == templatecache.environment_key(jinja2.Environment())


@pytest.mark.parametrize(
    "settings",
    [
        {"variable_start_string": "[[", "variable_end_string": "]]"},
        {"trim_blocks": True},
        {"extensions": ["jinja2.ext.i18n"]},
        {"autoescape": True},
        {"optimized": False},
    ],
)
def test_a_setting_that_changes_the_compiled_code_changes_the_key(settings):
    assert templatecache.environment_key(jinja2.Environment(**settings)) != templatecache.environment_key(
        jinja2.Environment()
    )


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.pop(name, None)
    spec.loader.exec_module(module)
    return module


def test_a_filter_jinja_can_evaluate_while_compiling_is_part_of_the_key(tmp_path):
    # `{{ "a" | shout }}` is folded into a constant at compile time, so the filter's code is in the bytecode.
    source = tmp_path / "shouting.py"
    source.write_text("def shout(s):\n    return s.upper()\n")
    env = jinja2.Environment()
    env.filters["shout"] = _load(source, "shouting").shout
    before = templatecache.environment_key(env)
    source.write_text("def shout(s):\n    return s.upper() + '!'\n")
    env.filters["shout"] = _load(source, "shouting").shout
    assert templatecache.environment_key(env) != before


def test_a_filter_that_takes_the_context_is_never_folded_so_its_code_is_not_hashed():
    env = jinja2.Environment()
    before = templatecache.environment_key(env)
    env.filters["url"] = jinja2.pass_context(lambda context, value: value)
    added = templatecache.environment_key(env)
    assert added != before  # a new filter still makes a new folder
    env.filters["url"] = jinja2.pass_context(lambda context, value: value + "/")
    assert templatecache.environment_key(env) == added


def test_old_environments_are_pruned(cache_in_tmp):
    for start in range(templatecache.KEEP_FOLDERS + 3):
        templatecache.bytecode_cache(jinja2.Environment(variable_start_string=f"<{start}<"))
    assert len([p for p in cache_in_tmp.iterdir() if p.is_dir()]) <= templatecache.KEEP_FOLDERS


def test_a_cache_that_cannot_be_written_only_costs_the_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(templatecache.CACHE_ENV, str(blocker))  # mkdir inside a file fails
    (tmp_path / "page.html").write_text("<p>{{ 1 + 1 }}</p>")
    assert _theme_env(tmp_path).get_template("page.html").render() == "<p>2</p>"
    assert _pages_env(["index.md"]).from_string("{{ double(2) }}").render() == "4"


def test_a_folder_pruned_by_another_build_does_not_fail_this_one(tmp_path, cache_in_tmp):
    (tmp_path / "page.html").write_text("<p>{{ 2 + 2 }}</p>")
    env = _theme_env(tmp_path)
    for folder in cache_in_tmp.iterdir():
        shutil.rmtree(folder)
    assert env.get_template("page.html").render() == "<p>4</p>"
