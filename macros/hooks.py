"""MkDocs hooks (mkdocs.yml `hooks:`): what the build generates rather than reads from docs/."""

from mkdocs.structure.files import File

from macros import headers, offline, runtime, tables


def on_files(files, config):
    # The CSV is made from the same rows as the page's table, at every build.
    files.append(File.generated(config, tables.CSV_PATH, content=tables.ladder_csv()))
    return files


def on_post_build(config):
    runtime.publish(config["site_dir"])
    offline.write(config["site_dir"])
    # Last: the CSP hashes the inline scripts of every page written above.
    headers.write(config["site_dir"], runtime.runtime_dir(), runtime.RUNTIME_FILES)
