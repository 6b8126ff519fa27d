"""MkDocs hooks (mkdocs.yml `hooks:`): files the build generates rather than reads from docs/."""

from mkdocs.structure.files import File

from macros import tables


def on_files(files, config):
    # The CSV is made from the same rows as the page's table, at every build.
    files.append(File.generated(config, tables.CSV_PATH, content=tables.ladder_csv()))
    return files
