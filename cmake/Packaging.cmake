# Debian package: cmake -S . -B build-rel -DCMAKE_INSTALL_PREFIX=/usr -DPMPO_TESTS=OFF
#                 cmake --build build-rel -j2 && (cd build-rel && cpack -G DEB)
# lintian-clean (ctest deb_package checks it when lintian is installed):
# stripped binary, gzipped man page, machine-readable copyright from LICENSE,
# changelog.Debian.gz, maintainer scripts through deb-systemd-helper.
set(PMPO_DEB_MAINTAINER
    "pmpo-bot maintainers <maintainers@users.noreply.h-seed-0469f639.example>"
    CACHE STRING "Maintainer field of the Debian package, \"Name <address>\"; set your own for a site build")
set(PMPO_DEB_RELEASE 1 CACHE STRING
    "Debian revision: the package is PROJECT_VERSION-PMPO_DEB_RELEASE (cpack -D CPACK_DEBIAN_PACKAGE_RELEASE=N overrides it)")

set(CPACK_PACKAGE_NAME pmpo-bot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${PMPO_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PMPO_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${PMPO_DEB_RELEASE})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Slack bot that explains Product Manager vs Product Owner")
# One string: a list here would show CMake's ';' separators in the Description.
set(CPACK_PACKAGE_DESCRIPTION "pmpo-bot answers /pmpo commands, mentions and direct messages in Slack from a
knowledge base compiled into the binary. It connects over Socket Mode and runs
as a sandboxed systemd service.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# No -dbgsym package: CMake 3.25's CPACK_DEBIAN_DEBUGINFO_PACKAGE writes its
# md5sums with absolute staging paths (lintian: md5sums-lists-nonexistent-file)
# and gives it no copyright or changelog. Keep build-rel/bot/pmpo-bot for symbols.
set(CPACK_STRIP_FILES ON)
# dpkg-shlibdeps finds the libraries we link; libwebsockets loads its libuv
# event-loop plugin with dlopen, so that one, like the CA bundle and the zone
# files, has to be named by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libwebsockets-evlib-uv, ca-certificates, tzdata, systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/systemd/debian/postinst
    ${CMAKE_SOURCE_DIR}/systemd/debian/prerm
    ${CMAKE_SOURCE_DIR}/systemd/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# /usr/share/doc/pmpo-bot/copyright (DEP-5), the licence text from LICENSE.
file(READ ${CMAKE_SOURCE_DIR}/LICENSE _license)
string(REGEX MATCH "Copyright \\(c\\) ([^\n]*)" _ "${_license}")
set(PMPO_COPYRIGHT "${CMAKE_MATCH_1}")
string(FIND "${_license}" "Permission is hereby granted" _at)
if(_at LESS 0 OR PMPO_COPYRIGHT STREQUAL "")
  message(FATAL_ERROR "LICENSE is not the MIT text this build expects")
endif()
string(SUBSTRING "${_license}" ${_at} -1 _body)
string(STRIP "${_body}" _body)
string(REPLACE "\n\n" "\n.\n" _body "${_body}")
string(REPLACE "\n" "\n " _body "${_body}")
set(PMPO_LICENSE_BODY " ${_body}")
configure_file(${CMAKE_SOURCE_DIR}/systemd/debian/copyright.in
               ${CMAKE_BINARY_DIR}/debian/copyright @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/systemd/debian/copyright.in)

# Each override in it carries its one-line reason.
install(FILES ${CMAKE_SOURCE_DIR}/systemd/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME pmpo-bot)

# changelog.Debian.gz is written while CPack stages the package, so its top
# entry names the version being packaged (a cpack -D override included); a
# plain cmake --install does not get it.
set(CPACK_PMPO_CHANGELOG_IN ${CMAKE_SOURCE_DIR}/systemd/debian/changelog.in)
set(CPACK_PMPO_DOCDIR ${CMAKE_INSTALL_DOCDIR})
set(CPACK_INSTALL_SCRIPTS ${CMAKE_SOURCE_DIR}/cmake/DebianChangelog.cmake)
include(CPack)
