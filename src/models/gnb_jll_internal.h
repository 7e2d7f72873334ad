/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_jll_internal.h: pmk's own kernel for the joint log-likelihoods of a
 * diagonal Gaussian classifier with few classes (gnb_jll.c), so that eval and
 * predict of small K never open OpenBLAS.  Not exported. */
#ifndef PMK_GNB_JLL_INTERNAL_H
#define PMK_GNB_JLL_INTERNAL_H

#include <stddef.h>

/* The largest K the kernel takes (gnb_predict.c uses the GEMMs above it). */
#define GNB_JLL_KMAX 32
/* Class lanes are padded to a multiple of this (8 doubles: one AVX-512 vector). */
#define GNB_JLL_LANES 8

/* K padded to GNB_JLL_LANES. */
static inline size_t gnb_jll_kp(size_t K)
{
    return (K + GNB_JLL_LANES - 1) / GNB_JLL_LANES * GNB_JLL_LANES;
}

/* For B rows X (B x D, row stride D) and Wt, Pt (D x Kp, Kp = gnb_jll_kp(K),
 * the padding lanes zero), each class lane k:
 *   A[i,k] = sum_d X_id Wt_dk,  Q[i,k] = sum_d (X_id X_id) Pt_dk   (Pt non-NULL)
 * A and Q are B x Kp.  Each sum runs over d = 0..D-1 in order from +0, one
 * rounded multiply and one rounded add a term (no fused multiply-add), per
 * lane: every vector level (@p lvl, vecf_level's) and every grouping of rows
 * gives the same bits. */
void gnb_jll_small(int lvl, const double *X, size_t B, size_t D, const double *Wt,
                   const double *Pt, size_t Kp, double *A, double *Q);

#endif
