/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_common.h: libFuzzer harness helpers: pmk's readers take paths, so each
 * input is written to an anonymous in-memory file and read back through
 * /proc/self/fd/N, exercising the same code a user's file does. */
#ifndef PMK_FUZZ_COMMON_H
#define PMK_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <gsl/gsl_errno.h>

/* Writes data to a fresh memfd and fills path with a name for it.  Returns
 * the descriptor (close it when done), or -1. */
static int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t len)
{
    static int init = 0;
    if (!init) {
        gsl_set_error_handler_off();
        init = 1;
    }
    int fd = memfd_create("pmk-fuzz", 0);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
