# The Debian package of ismsc, made by CPack from the install() rules of the project:
#
#   cmake --build build && (cd build && cpack -G DEB)     -> build/ismsc_<version>_<arch>.deb
#
# It holds whatever `cmake --install` installs, under /usr. Its Depends line is computed by
# dpkg-shlibdeps from the libraries the binary links (libyaml, cmark-gfm, libxml2, Lua,
# libzip, libgit2, jansson, ...), so it names the exact runtime packages of the release it is
# built on and never goes stale when a library is added. What must stay true: include this
# file after every install() rule (CPack reads them when it runs, but the variables below
# must be set before include(CPack)); tests/ci/deb.py builds the package, reads its Depends
# and runs the binary from a `dpkg -x` root.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "ismsc")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compiler for ISO/IEC 27001 ISMSs kept as code")
set(CPACK_PACKAGE_DESCRIPTION [=[
ismsc checks an Information Security Management System kept in Git as YAML
and Markdown records (broken references, invalid fields, coverage rules in
Lua) and reports compiler-style diagnostics. It builds the Statement of
Applicability, the Risk Treatment Plan and the policies as an HTML site,
DOCX files and JSON.]=])
set(CPACK_PACKAGE_CONTACT "ismsc developers")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/ismsc/ismsc")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

include(CPack)
