/*
 * version.h - which kernel version each input of a target belongs to, so
 * that a patch is never built from a source that is not the running
 * kernel's: the source tree, the config, and the kernel's /proc/version.
 */
#ifndef KLIVE_VERSION_H
#define KLIVE_VERSION_H

/* "6.1.192" from the config's "# Linux/x86 6.1.192 Kernel Configuration". */
char *config_kernel_version(const char *config);
/* The Debian package version ("6.1.192-3") in a /proc/version text. */
char *banner_package_version(const char *banner);
/* The release ("6.1.0-57-cloud-amd64") in a /proc/version text. */
char *banner_release(const char *banner);
/* The version of the Debian package that installed a source tarball. */
char *source_package_version(const char *tarball);
/* "6.1.192" from the source tree's Makefile. */
char *source_kernel_version(const char *srcdir);
/* "6.1.192-3" -> "6.1.192". */
char *upstream_of(const char *package_version);

#endif
