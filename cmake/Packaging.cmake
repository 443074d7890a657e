# Debian package: cmake -S . -B build-deb -DCMAKE_INSTALL_PREFIX=/usr -DPMPO_TESTS=OFF
#                 cmake --build build-deb -j2 && (cd build-deb && cpack -G DEB)
set(CPACK_PACKAGE_NAME pmpo-bot)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pmpo-bot maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Slack bot that explains Product Manager vs Product Owner")
set(CPACK_PACKAGE_DESCRIPTION
    "pmpo-bot answers /pmpo commands, mentions and direct messages in Slack from a\n"
    "knowledge base compiled into the binary. It connects over Socket Mode and runs\n"
    "as a sandboxed systemd service.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
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
include(CPack)
