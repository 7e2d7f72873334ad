/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_fix.h: the exact sums of pmk_gnb_eval (its fix_* fields: a whole part
 * and a fraction in 2^-52 units per sum), inline and on the public struct
 * alone, so that the CLI's mpi_gnb.c, which links only libpmk's public
 * symbols, carries the ranks' integer sums with the same code as
 * gnb_predict.c (the bits of one process). */
#ifndef PMK_GNB_FIX_H
#define PMK_GNB_FIX_H

#include "pmk/gnb.h"

/* The carry of sum @p s: the fraction's whole units moved into the whole
 * part, leaving the fraction in [0, 2^52); fix_off_ set on overflow. */
static inline void gnb_fix_carry(pmk_gnb_eval *e, int s)
{
    long long c = e->fix_frac_[s] >> 52;   /* arithmetic: the floor */
    e->fix_frac_[s] -= c * (1LL << 52);
    if (__builtin_add_overflow(e->fix_whole_[s], c, &e->fix_whole_[s]))
        e->fix_off_ = 1;
}

/* sum_nll and sum_log_post from the exact sums, when they hold. */
static inline void gnb_fix_sums(pmk_gnb_eval *e)
{
    if (e->fix_off_)
        return;
    e->sum_nll = (double)e->fix_whole_[0] + (double)e->fix_frac_[0] * 0x1p-52;
    e->sum_log_post = (double)e->fix_whole_[1] + (double)e->fix_frac_[1] * 0x1p-52;
}

#endif
