# Run by CPack while staging the Debian package (CPACK_INSTALL_SCRIPTS):
# writes usr/share/doc/pmpo-bot/changelog.Debian.gz from
# systemd/debian/changelog.in, its top entry naming the packaged version.
# The CPACK_* values come from CPackConfig.cmake (CPack writes only those).
set(PMPO_DEB_VERSION "${CPACK_PACKAGE_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
set(PMPO_DEB_MAINTAINER "${CPACK_DEBIAN_PACKAGE_MAINTAINER}")
if(DEFINED ENV{DESTDIR} AND NOT "$ENV{DESTDIR}" STREQUAL "")
  set(_root "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
else()
  set(_root "${CMAKE_INSTALL_PREFIX}")
endif()
set(_dir "${_root}/${CPACK_PMPO_DOCDIR}")
file(MAKE_DIRECTORY "${_dir}")
configure_file("${CPACK_PMPO_CHANGELOG_IN}" "${_dir}/changelog.Debian" @ONLY)
# gzip -n: no name or time stamp in the header, so the file is reproducible
execute_process(COMMAND gzip -9nf "${_dir}/changelog.Debian" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "gzip -9n ${_dir}/changelog.Debian failed")
endif()
