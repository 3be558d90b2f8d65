#!/usr/bin/env python3
"""The Debian package (cmake/package.cmake): CPack builds it from this build folder as
docs/ci.md says (`cpack -G DEB`), and it is unpacked with `dpkg -x` into a temporary root,
since installing it would change this machine.

1. `dpkg-deb -I`: package ismsc, the project's version, this machine's architecture; every
   shared library the binary links (readelf's NEEDED, found with ldd) belongs to a package the Depends line names, and
   the core libraries (libyaml, cmark-gfm and its extensions, libxml2, Lua 5.4, libzip,
   libgit2, jansson) are among them.
2. `dpkg-deb -c`: the binary is /usr/bin/ismsc.
3. From the unpacked root: `ismsc --version` prints the version; `ismsc check` passes the
   example and fails a tree with a broken reference.
4. `apt-get install --simulate ./ismsc_….deb`: apt finds every dependency (nothing is
   installed).
usage: deb.py BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
from checks import Checks  # noqa: E402

checks = Checks("ci-deb")
check = checks.check
CORE = ["libyaml-0-2", "libcmark-gfm0", "libcmark-gfm-extensions0", "libxml2", "liblua5.4-0",
        "libzip4", "libdeflate0", "libgit2-", "libjansson4", "libc6"]


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True,
                          env=dict(os.environ, NO_COLOR="1", LC_ALL="C"), **kw)


def field(info, name):
    m = re.search(rf"^ {name}: (.*)$", info, re.M)
    return m.group(1) if m else ""


def depends_packages(info):
    """Package names of the Depends line (alternatives included, versions dropped)."""
    names = set()
    for alternative in re.split(r"[,|]", field(info, "Depends")):
        name = alternative.strip().split(" ")[0].split(":")[0]
        if name:
            names.add(name)
    return names


def library_packages(binary):
    """{library: package} for the shared libraries BINARY links directly (its NEEDED
    entries; the libraries they pull in are their packages' business), found through ldd."""
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]", run("readelf", "-d", binary).stdout)
    where = dict(re.findall(r"^\s*(\S+) => (/\S+)", run("ldd", binary).stdout, re.M))
    owners = {}
    for lib in needed:
        path = where.get(lib, lib)
        owners[lib] = None
        for candidate in (path, os.path.realpath(path), "/usr" + path):
            r = run("dpkg", "-S", candidate)
            if r.returncode == 0:
                owners[lib] = r.stdout.split(":")[0].strip()
                break
    return owners


def main():
    build = os.path.abspath(sys.argv[1])
    for tool in ("cpack", "dpkg-deb", "dpkg-shlibdeps", "file", "readelf"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} is not installed (scripts/install-deps installs it)")
            sys.exit(77)
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "package")
        r = run("cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-G", "DEB",
                "-B", out, cwd=build)
        debs = [f for f in os.listdir(out) if f.endswith(".deb")] if os.path.isdir(out) else []
        arch = run("dpkg", "--print-architecture").stdout.strip()
        version = common.project_version()
        check(r.returncode == 0 and debs == [f"ismsc_{version}_{arch}.deb"],
              f"cpack -G DEB makes ismsc_{version}_{arch}.deb ({debs}; {r.stderr[-800:]})")
        if not debs:
            checks.finish()
        deb = os.path.join(out, debs[0])

        info = run("dpkg-deb", "-I", deb).stdout
        check(field(info, "Package") == "ismsc", "Package: ismsc")
        check(field(info, "Version") == version, f"Version: {version}")
        check(field(info, "Architecture") == arch, f"Architecture: {arch}")
        depends = depends_packages(info)
        print("Depends:", field(info, "Depends"))
        for prefix in CORE:
            check(any(d.startswith(prefix) for d in depends), f"Depends names {prefix}*")

        files = run("dpkg-deb", "-c", deb).stdout
        check(re.search(r" \./usr/bin/ismsc$", files, re.M) is not None, "it holds /usr/bin/ismsc")

        root = os.path.join(work, "root")
        r = run("dpkg", "-x", deb, root)
        check(r.returncode == 0, f"dpkg -x unpacks it ({r.stderr})")
        ismsc = os.path.join(root, "usr", "bin", "ismsc")
        owners = library_packages(ismsc)
        check(len(owners) >= len(CORE), f"readelf lists the binary's libraries ({sorted(owners)})")
        for lib, package in owners.items():
            check(package in depends, f"{lib} comes from {package}, which Depends names")

        r = run(ismsc, "--version")
        check(r.returncode == 0 and r.stdout.splitlines()[:1] == [f"ismsc {version}"],
              f"the unpacked ismsc --version ({r.stdout!r})")
        examples = os.path.join(common.SOURCE, "examples")
        r = run(ismsc, "check", examples, "--werror", "--date", "2026-11-23")
        check(r.returncode == 0, f"it checks the example clean ({r.stdout[-800:]})")
        broken = common.broken_example(os.path.join(work, "broken"))
        r = run(ismsc, "check", broken, "--date", "2026-11-23")
        check(r.returncode == 1 and "unknown asset 'AST-GONE'" in r.stdout,
              f"and fails a broken reference ({r.returncode})")

        if shutil.which("apt-get"):
            r = run("apt-get", "install", "--simulate", "--no-install-recommends", deb)
            check(r.returncode == 0 and re.search(r"^Inst ismsc ", r.stdout, re.M) is not None,
                  f"apt-get would install it with its dependencies ({r.stdout[-600:]}{r.stderr[-600:]})")
    checks.finish()


if __name__ == "__main__":
    main()
