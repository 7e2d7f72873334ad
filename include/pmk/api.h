/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/api.h
 * PMK_API: the mark of an exported libpmk function.
 *
 * libpmk is compiled with -fvisibility=hidden, so only declarations marked
 * PMK_API in the installed headers are exported from the shared library;
 * everything else (functions declared in the private headers under src/) is
 * internal.  Every public header includes this one through pmk/status.h. */
#ifndef PMK_API_H
#define PMK_API_H

/** Marks a public declaration: default (exported) visibility under GCC and
 *  clang, nothing elsewhere.  In a program that uses libpmk the attribute on a
 *  declaration changes nothing. */
#if defined(__GNUC__) || defined(__clang__)
#define PMK_API __attribute__((visibility("default")))
#else
#define PMK_API
#endif

#endif
