"""Rewriting a file the build has just written (a page given its policy, the worker given its manifest)."""

import pathlib


def overwrite(path: pathlib.Path, text: str) -> None:
    """Replace the file's content with `text` (UTF-8), in place.

    Not `write_text`: it truncates the file to zero bytes first, and ext4 (auto_da_alloc) then
    flushes the new content to disk when the file is closed, about 2 ms a page; writing over the old
    bytes and cutting off what is left over gives the same file without the flush.
    """
    data = text.encode("utf-8")
    with path.open("r+b") as handle:
        handle.write(data)
        handle.truncate()
