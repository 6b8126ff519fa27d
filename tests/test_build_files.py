"""sitebuild.files.overwrite: the file holds exactly the new text, whatever it held before."""

from hypothesis import given
from hypothesis import strategies as st

from sitebuild.files import overwrite


@given(old=st.text(), new=st.text())
def test_the_file_holds_exactly_the_new_text(tmp_path_factory, old, new):
    path = tmp_path_factory.mktemp("overwrite") / "page.html"
    path.write_text(old, encoding="utf-8")
    overwrite(path, new)
    assert path.read_bytes() == new.encode("utf-8")


def test_a_shorter_text_leaves_nothing_of_the_longer_one(tmp_path):
    path = tmp_path / "worker.mjs"
    path.write_text("const MANIFEST = {long};\n" * 10)
    overwrite(path, "é")
    assert path.read_bytes() == "é".encode()
