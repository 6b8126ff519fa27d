"""Build the `calculators` wheel in-process: a pure-Python, deterministic py3-none-any wheel.

The site needs a wheel at every build; running pip in a subprocess for it cost more time than
the rest of the build. A pure-Python wheel is a zip of the package plus three metadata files
(PEP 427), so it is written here directly: fixed timestamps and sorted entries give the same
bytes, and so the same sha256, for the same code. tests/test_runtime_build.py checks that pip
installs it and that it holds exactly the package's modules.
"""

import base64
import hashlib
import pathlib
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The browser gets the product only: the command-line interface stays in the repository.
NOT_SHIPPED = frozenset({"calculators/__main__.py"})
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def build(out_dir: pathlib.Path) -> pathlib.Path:
    meta = project()["project"]
    packages = project()["tool"]["setuptools"]["packages"]
    name, version = meta["name"], meta["version"]
    dist_info = f"{name}-{version}.dist-info"
    files: dict[str, bytes] = {}
    for package in packages:
        folder = ROOT / package.replace(".", "/")
        for module in sorted(folder.glob("*.py")):
            path = f"{package.replace('.', '/')}/{module.name}"
            if path not in NOT_SHIPPED:
                files[path] = module.read_bytes()
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        f"Summary: {meta.get('description', '')}\nRequires-Python: {meta['requires-python']}\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: ahamirror sitebuild/wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"".join(f"{p}\n".encode() for p in packages if "." not in p)
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()

    wheel = out_dir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
