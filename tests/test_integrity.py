"""Issue 13, item 2: what the browser checks the runtime against, as the build writes it.

The worker (calc-worker.mjs) carries each runtime file's sha256 and size, widgets.mjs carries the
worker's sha256, and the service worker's digests describe the files as finally published (after
those rewrites). Expected values are computed here with hashlib from the published bytes, not with
the build's own helper.
"""

import gzip
import hashlib
import html
import json
import re
import shutil

import pytest

from sitebuild import integrity, layout, runtime

ROOT = runtime.ROOT


def _manifest(worker_source: str) -> dict:
    match = re.search(r"^const MANIFEST = (\{.*?\});", worker_source, re.M)
    assert match, "the built worker carries no manifest"
    return json.loads(match.group(1))


def _constant(source: str, name: str) -> str:
    """The JSON value of `const NAME = ...;` in a built script."""
    match = re.search(rf"^const {name} = (.*?);$", source, re.M)
    assert match, f"no {name} in the script"
    return match.group(1)


def test_the_worker_knows_every_runtime_file_it_loads_by_sha256_and_size(built_site):
    folder = built_site / runtime.runtime_dir()
    manifest = _manifest((built_site / layout.WORKER).read_text())
    wheels = [p.name for p in folder.glob("*.whl")]
    assert len(wheels) == 1
    decoder = {"brotli-decoder.mjs": "module", "brotli-decoder.wasm": "wasm"}
    expected_names = {
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        layout.STDLIB,
        layout.LOCKFILE,
        *wheels,
        *decoder,
    }
    assert set(manifest) == expected_names
    # What the worker may fetch as brotli and decode itself: every file with a .br sibling except the
    # two modules it imports (only the browser decodes those).
    decodable = {"pyodide.asm.wasm", layout.STDLIB, *wheels}
    for name, entry in manifest.items():
        data = (folder / name).read_bytes()
        published = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        if name.endswith((".zip", ".whl")):
            # The archives' siblings carry their stored form: a host that sends one sends these bytes.
            stored = gzip.decompress((folder / (name + ".gz")).read_bytes())
            assert stored != data, name
            published["sibling"] = {"sha256": hashlib.sha256(stored).hexdigest(), "size": len(stored)}
        if name in decodable:
            assert (folder / (name + ".br")).exists(), name
            published["br"] = name + ".br"
        if name in decoder:
            published["decoder"] = decoder[name]
        assert entry == published, name


def test_the_published_decoder_is_the_pinned_npm_package(built_site):
    """The decoder the worker loads where a host does not send brotli is brotli-dec-wasm exactly as
    package-lock.json pins it: the npm files, unchanged."""
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/brotli-dec-wasm"]["version"] == "2.3.2"
    package = ROOT / "node_modules" / "brotli-dec-wasm" / "pkg"
    folder = built_site / runtime.runtime_dir()
    assert (folder / "brotli-decoder.mjs").read_bytes() == (package / "brotli_dec_wasm.js").read_bytes()
    assert (folder / "brotli-decoder.wasm").read_bytes() == (package / "brotli_dec_wasm_bg.wasm").read_bytes()


def test_widgets_mjs_knows_the_published_worker_and_the_service_worker_knows_both(built_site):
    worker = (built_site / layout.WORKER).read_bytes()
    widgets = (built_site / layout.WIDGETS).read_text()
    match = re.search(r'^const WORKER_SHA256 = "([0-9a-f]{64})";', widgets, re.M)
    assert match and match.group(1) == hashlib.sha256(worker).hexdigest()
    sw = (built_site / layout.SERVICE_WORKER).read_text()
    found = re.search(r"^const DIGESTS = (\{.*?\});", sw, re.M)
    assert found, "the service worker carries no digests"
    digests = json.loads(found.group(1))
    assert digests[layout.WORKER] == [hashlib.sha256(worker).hexdigest()]  # hashed after the rewrite
    assert digests[layout.WIDGETS] == [hashlib.sha256(widgets.encode()).hexdigest()]
    # An archive may arrive as published or in the stored form of its siblings: both are accepted.
    folder = built_site / runtime.runtime_dir()
    stdlib = f"{runtime.runtime_dir()}/{layout.STDLIB}"
    assert digests[stdlib] == [
        hashlib.sha256((folder / layout.STDLIB).read_bytes()).hexdigest(),
        hashlib.sha256(gzip.decompress((folder / (layout.STDLIB + ".gz")).read_bytes())).hexdigest(),
    ]
    # A .br sibling the worker may fetch itself: its own bytes, or what it decodes to (a host that
    # sends it with "Content-Encoding: br"). Here the wasm's, which decodes to the wasm itself.
    wasm = f"{runtime.runtime_dir()}/pyodide.asm.wasm"
    assert digests[wasm + ".br"] == [
        hashlib.sha256((folder / "pyodide.asm.wasm.br").read_bytes()).hexdigest(),
        hashlib.sha256((folder / "pyodide.asm.wasm").read_bytes()).hexdigest(),
    ]
    # Which form it keeps is the host's choice (sw.template.js): the pairs and the decoder it knows.
    forms = json.loads(_constant(sw, "BROTLI_FORMS"))
    wheel = next(folder.glob("*.whl")).name
    assert forms == {
        f"{runtime.runtime_dir()}/{name}": f"{runtime.runtime_dir()}/{name}.br"
        for name in ("pyodide.asm.wasm", layout.STDLIB, wheel)
    }
    decoder = json.loads(_constant(sw, "DECODER"))
    assert decoder == [f"{runtime.runtime_dir()}/brotli-decoder.mjs", f"{runtime.runtime_dir()}/brotli-decoder.wasm"]
    assert set(forms.values()) | set(decoder) <= set(digests)


def test_sealing_again_follows_a_changed_file(built_site, tmp_path):
    """A site whose wheel changed and is sealed again describes the new wheel (the deploy tests
    re-seal a site they edit); sealing twice changes nothing else."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = (site / layout.WORKER).read_text()
    integrity.seal(site)
    assert (site / layout.WORKER).read_text() == before
    wheel = next((site / runtime.runtime_dir()).glob("*.whl"))
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    integrity.seal(site)
    assert _manifest((site / layout.WORKER).read_text())[wheel.name]["size"] == wheel.stat().st_size


def test_a_worker_without_its_placeholder_fails_the_build(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    worker = site / layout.WORKER
    worker.write_text(re.sub(r"^const MANIFEST = .*$", "", worker.read_text(), flags=re.M))
    with pytest.raises(RuntimeError, match="exactly one line"):
        integrity.seal(site)


def test_every_widget_carries_the_failure_words_by_kind(built_site):
    page = (built_site / "calculators" / "index.html").read_text()
    found = re.findall(r'data-failures="([^"]*)"', page)
    assert found and all(json.loads(html.unescape(text)) == layout.RUNTIME_FAILURES for text in found)
    # Every kind the browser code can report has its words.
    sources = (built_site / layout.WORKER).read_text() + (built_site / layout.WIDGETS).read_text()
    reported = set(re.findall(r'RuntimeFault\("([a-z]+)"', sources)) | set(re.findall(r'return "([a-z]+)";', sources))
    reported |= set(re.findall(r'fail\("([a-z]+)"', sources))
    assert reported and reported <= set(layout.RUNTIME_FAILURES), reported - set(layout.RUNTIME_FAILURES)
