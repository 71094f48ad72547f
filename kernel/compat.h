/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernel versions evn builds on
 *
 * evn builds on Linux 6.1 (Debian 12) and 6.12 (Debian 13). Each API that
 * differs between them is wrapped here behind one LINUX_VERSION_CODE switch,
 * so the rest of the module is written once against a single API. Nothing
 * else in the module tests the kernel version.
 */
#ifndef _EVN_COMPAT_H
#define _EVN_COMPAT_H

#include <linux/version.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "evn needs Linux 6.1 or later"
#endif

#endif /* _EVN_COMPAT_H */
